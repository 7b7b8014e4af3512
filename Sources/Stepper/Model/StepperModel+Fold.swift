import GradFlow
import GraphExport

extension StepperModel {
    /// `f`: unfolds the folded box the cursor is in; else folds the innermost group around it
    /// that repeats (a loop iteration or call among same-shaped neighbours folds with them all
    /// into one box `×N`), or, if none repeats, the innermost group.
    mutating func toggleFold() {
        guard let cursor = focusNode else {
            message = "step to a node first: f folds the group of the current node"
            return
        }
        let plan = FoldPlan(graph: graph, folding: folded)
        if let box = plan.box(of: cursor) {
            folded.subtract(plan.boxes[box].groups)
            message = "\(plan.boxes[box].label) unfolded; f folds it again"
            return
        }
        let annotations = graph.annotations
        var chain: [Int] = []
        var group = annotations.groupOfNode[cursor]
        while let index = group, annotations.groups.indices.contains(index), chain.count <= annotations.groups.count {
            chain.append(index)
            group = annotations.groups[index].parent
        }
        guard let innermost = chain.first else {
            message = "\(graph.label(of: cursor)) is in no group (fn calls and loop bodies make groups)"
            return
        }
        let runs = RepeatedRuns(graph: graph)
        let chosen = chain.first { runs.run(containing: $0) != nil } ?? innermost
        folded.insert(chosen)
        if let run = runs.run(containing: chosen) {
            let box = FoldPlan(graph: graph, folding: [chosen], runs: runs).boxes.first
            message = "\(box?.label ?? "") · \(run.count) iterations of the same shape in one box, the step's own drawn open; f unfolds"
        }
    }
}

import GradFlow

/// Refuses a scene with tensors in a command that shows only scalars so far, with one line
/// naming the commands that do take it (rather than drawing or printing tensors as zeros).
func refuseTensors(_ graph: Graph, command: String, source: String) throws {
    guard graph.hasTensors else { return }
    throw invalidInput("\(source): `gradflow \(command)` does not show tensor scenes yet; `gradflow grad`, `check`, `trace`, `step`, `train`, `eval` and `plot` do, and `export -o FILE.json` writes them (see docs/tensors.md)")
}

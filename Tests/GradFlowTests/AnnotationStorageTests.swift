import GradFlow
import Testing

/// Names and groups are stored compactly (a base and a version per node, label templates and
/// runs of nodes) and written out when read: what is read must be what was written.
@Suite struct AnnotationStorageTests {
    @Test func aVersionIsWrittenInSubscriptDigitsAndATemporaryInASCII() {
        var names = NodeNames()
        let v = names.base("v")
        names.setName(of: 0, base: v, version: 1)
        names.setName(of: 2, base: v, version: 2)
        names.setName(of: 3, base: v, version: 1_234_567_890)
        names.setTemporaryName(of: 5, number: 10)
        #expect(names[0] == "v")
        #expect(names[1] == nil)
        #expect(names[2] == "v₂")
        #expect(names[3] == "v₁₂₃₄₅₆₇₈₉₀")
        #expect(names[4] == nil && names[6] == nil && names[-1] == nil)
        #expect(names[5] == "t10")
        #expect(names.count == 4)
        #expect(names.map(\.key) == [0, 2, 3, 5])
        #expect(names.values == ["v", "v₂", "v₁₂₃₄₅₆₇₈₉₀", "t10"])
    }

    @Test func namesSetAsTextEqualTheSameNamesStoredAsVersions() {
        var versions = NodeNames()
        let w = versions.base("w")
        versions.setName(of: 0, base: w, version: 1)
        versions.setName(of: 1, base: w, version: 2)
        versions.setTemporaryName(of: 2, number: 1)
        let texts: NodeNames = [0: "w", 1: "w₂", 2: "t1"]
        #expect(versions == texts)
        #expect(versions != [0: "w", 1: "w₃", 2: "t1"])
        #expect(versions != [0: "w", 1: "w₂"])
    }

    @Test func removingANameLeavesTheNodeUnnamed() {
        var names: NodeNames = [3: "a", 7: "b"]
        names[3] = nil
        names[9] = nil
        #expect(names.count == 1 && names[3] == nil && names[7] == "b" && !names.isNamed(3) && names.isNamed(7))
        names[7] = "c"
        #expect(names.count == 1 && names[7] == "c")
    }

    @Test func onlyBasesOfTheFormTDigitsAreTakenTemporaryNumbers() {
        var names = NodeNames()
        for (node, name) in ["t1", "t07", "t", "tx3", "t12"].enumerated() { names[node] = name }
        #expect(names.temporaryNumbersTaken == [1, 7, 12])
    }

    @Test func runsOfGroupsReadLikeADictionaryOfNodes() {
        var groups = GroupMembership()
        groups.assign(2..<5, to: 0)
        groups.assign(5..<6, to: 1)
        groups.assign(8..<10, to: 1)
        #expect(groups.map { [$0.key, $0.value] } == [[2, 0], [3, 0], [4, 0], [5, 1], [8, 1], [9, 1]])
        #expect(groups[1] == nil && groups[2] == 0 && groups[5] == 1 && groups[6] == nil && groups[9] == 1 && groups[10] == nil)
        #expect(groups == [2: 0, 3: 0, 4: 0, 5: 1, 8: 1, 9: 1])
        #expect(groups.count == 6)
    }

    @Test func assigningInsideOrBeforeTheRunsSplitsThem() {
        var groups: GroupMembership = [0: 0, 1: 0, 2: 0, 3: 0]
        groups.assign(1..<3, to: 1)       // a nested group in the middle
        #expect(groups == [0: 0, 1: 1, 2: 1, 3: 0])
        groups[1] = nil
        #expect(groups.map(\.key) == [0, 2, 3])
        groups.assign(-3..<(-1), to: 2)   // before every run
        #expect(groups[-3] == 2 && groups[-1] == nil && groups[0] == 0)
        groups.assign(-3..<4, to: nil)
        #expect(groups.isEmpty && groups == GroupMembership())
    }

    @Test func theSameNodesInTheSameGroupsAreEqualHoweverTheyWereAssigned() {
        var oneByOne = GroupMembership()
        for node in [4, 2, 3] { oneByOne[node] = 1 }
        var asRange = GroupMembership()
        asRange.assign(2..<5, to: 1)
        #expect(oneByOne == asRange)
    }

    @Test func aLoopsGroupsShareOneTemplateAndRenderTheirNumbers() {
        var groups = GroupList()
        let repeatLabel = groups.template(.repeatIteration(count: 200_000))
        let forLabel = groups.template(.forIteration(variable: "i"))
        groups.append(repeatLabel, number: 12_345, parent: nil, nodes: 0..<4)
        groups.append(forLabel, number: -2, parent: 0, nodes: 1..<3)
        groups.append(Annotations.Group(label: "neuron(x1, w1)", parent: nil, nodes: 4..<9))
        #expect(groups.map(\.label) == ["repeat 12345/200000", "for i = -2", "neuron(x1, w1)"])
        #expect(groups.map(\.parent) == [nil, 0, nil])
        #expect(groups.map(\.nodes) == [0..<4, 1..<3, 4..<9])
        let asText: GroupList = [
            .init(label: "repeat 12345/200000", parent: nil, nodes: 0..<4),
            .init(label: "for i = -2", parent: 0, nodes: 1..<3),
            .init(label: "neuron(x1, w1)", parent: nil, nodes: 4..<9),
        ]
        #expect(groups == asText)
        groups[1].nodes = 1..<2
        groups[2].label = "other"
        #expect(groups[1] == Annotations.Group(label: "for i = -2", parent: 0, nodes: 1..<2))
        #expect(groups[2].label == "other" && groups[0].label == "repeat 12345/200000")
        groups.removeLast()
        #expect(groups.count == 2)
    }
}

import GradFlow

/// Every name and every call of a program resolved once, before tracing, so that a loop body
/// run a million times looks its names up in arrays instead of hashing their text.
///
/// The parser's tree is left as it is: each name written in the scene gets a slot number. A
/// name written inside a loop or a function body, code that may run many times, is found again
/// by the offset where it is written (and checked against the text), through an array that
/// covers only that stretch of the source; any other name, written in code that runs once or
/// made up while tracing (`gradflow eval`'s `--at` inputs), finds its slot through a
/// dictionary, or gets a new one. A scope holds its bindings as an array indexed by slot. Each
/// call site in a loop or function likewise remembers what it calls: a user function or a
/// built-in.
struct NameSlots {
    /// What a call site calls.
    enum Callee {
        case function(Int)
        case builtin(Builtin)
        case unknown
    }

    /// The user functions, by the index a ``Callee/function(_:)`` holds.
    private(set) var functions: [FunctionDefinition] = []
    /// The name of each slot.
    private(set) var names: [String] = []
    private var slotOfName: [String: Int] = [:]
    /// For each offset from ``firstOffset`` on, the slot of the name written there (≥ 0), the
    /// call written there (−2 − its index in ``calls``), or −1.
    private var siteAtOffset: [Int32] = []
    private var firstOffset = 0
    private var calls: [(name: String, callee: Callee)] = []
    private var functionIndex: [String: Int] = [:]
    /// While walking: how many loop or function bodies enclose the code, and the sites found in them.
    private var repeatedDepth = 0
    private var sites: [(offset: Int, site: Int32)] = []

    init(_ program: Program) {
        for name in program.functions.keys.sorted() {
            functionIndex[name] = functions.count
            functions.append(program.functions[name]!)
        }
        note(program.statements)
        repeatedDepth += 1
        for function in functions {
            for parameter in function.parameters { note(parameter) }
            note(function.body)
        }
        repeatedDepth -= 1
        if let first = sites.map(\.offset).min(), let last = sites.map(\.offset).max() {
            firstOffset = first
            siteAtOffset = Array(repeating: -1, count: last - first + 1)
            for (offset, site) in sites { siteAtOffset[offset - first] = site }
        }
        sites = []
    }

    /// How many slots a scope needs for every name the program writes.
    var count: Int { names.count }

    /// The slot of `name` written at `offset`.
    mutating func slot(_ name: String, at offset: Int) -> Int {
        let index = offset &- firstOffset
        if index >= 0, index < siteAtOffset.count {
            let slot = Int(siteAtOffset[index])
            if slot >= 0, names[slot] == name { return slot }
        }
        return slot(name)
    }

    /// The slot of `name`, a new one if the program never writes it.
    mutating func slot(_ name: String) -> Int {
        if let known = slotOfName[name] { return known }
        names.append(name)
        slotOfName[name] = names.count - 1
        return names.count - 1
    }

    /// What `call` calls.
    func callee(_ call: Call) -> Callee {
        let index = call.nameStart &- firstOffset
        if index >= 0, index < siteAtOffset.count, siteAtOffset[index] <= -2 {
            let known = calls[Int(-2 - siteAtOffset[index])]
            if known.name == call.name { return known.callee }
        }
        return resolve(call.name)
    }

    private func resolve(_ name: String) -> Callee {
        if let index = functionIndex[name] { return .function(index) }
        return Builtin(name: name).map(Callee.builtin) ?? .unknown
    }

    // MARK: The walk over the program

    private mutating func note(_ name: Located<String>) { note(name.value, at: name.start) }

    private mutating func note(_ name: String, at offset: Int) {
        let slot = slot(name)
        if repeatedDepth > 0, offset >= 0 { sites.append((offset, Int32(slot))) }
    }

    /// Notes the statements of a loop body.
    private mutating func noteRepeated(_ body: [Statement]) {
        repeatedDepth += 1
        note(body)
        repeatedDepth -= 1
    }

    private mutating func note(_ statements: [Statement]) {
        for statement in statements {
            switch statement {
            case .title, .function:
                break
            case .input(let declarations), .constant(let declarations):
                for (name, value) in declarations {
                    note(name)
                    note(value)
                }
            case .assign(let name, _, let value):
                note(name)
                note(value)
            case .output(let names):
                for name in names { note(name) }
            case .note(let name, _), .minimize(let name):
                note(name)
            case .repeatLoop(let count, let body, _):
                note(count)
                noteRepeated(body)
            case .forLoop(let variable, let from, let to, _, let body, _):
                note(variable)
                note(from)
                note(to)
                noteRepeated(body)
            case .conditional(let condition, let then, let otherwise):
                note(condition)
                note(then)
                note(otherwise ?? [])
            case .return(let value, _):
                note(value)
            case .train(let block):
                note(block.steps)
                note(block.learningRate)
                if let momentum = block.momentum { note(momentum) }
                note(block.body)
            }
        }
    }

    private mutating func note(_ expression: Expression) {
        switch expression.kind {
        case .number:
            break
        case .name(let name):
            note(name, at: expression.range.lowerBound)
        case .negate(let operand), .not(let operand):
            note(operand)
        case .chain(let first, let links):
            note(first)
            for link in links { note(link.operand) }
        case .power(let a, let b), .comparison(let a, _, let b):
            note(a)
            note(b)
        case .call(let call):
            noteCall(call)
        case .logical(_, let operands), .list(let operands):
            for operand in operands { note(operand) }
        case .index(let base, let entries):
            note(base)
            for case .position(let position) in entries { note(position) }
        }
    }

    private mutating func noteCall(_ call: Call) {
        if repeatedDepth > 0, call.nameStart >= 0 {
            sites.append((call.nameStart, Int32(-2 - calls.count)))
            calls.append((call.name, resolve(call.name)))
        }
        for argument in call.arguments { note(argument) }
        for (_, value) in call.namedArguments { note(value) }
    }
}

import GradFlow

/// Every name and every call of a program resolved once, before tracing, so that a loop body
/// run a million times looks its names up in arrays instead of hashing their text.
///
/// The parser's tree is left as it is: each name written in the scene gets a slot number,
/// found again by the offset where the name is written (and checked against the text, so a
/// name made up while tracing, such as `gradflow eval`'s `--at` inputs, still finds its slot
/// through the dictionary, or gets a new one). A scope holds its bindings as an array indexed
/// by slot. Each call site likewise remembers what it calls: a user function or a built-in.
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
    /// The slot of the name written at each offset, or -1.
    private var slotAtOffset: [Int32] = []
    /// What the call written at each offset calls (nil: no call there).
    private var calleeAtOffset: [(name: String, callee: Callee)?] = []
    private var functionIndex: [String: Int] = [:]

    init(_ program: Program) {
        for name in program.functions.keys.sorted() {
            functionIndex[name] = functions.count
            functions.append(program.functions[name]!)
        }
        note(program.statements)
        for function in functions {
            for parameter in function.parameters { note(parameter) }
            note(function.body)
        }
    }

    /// How many slots a scope needs for every name the program writes.
    var count: Int { names.count }

    /// The slot of `name` written at `offset`.
    mutating func slot(_ name: String, at offset: Int) -> Int {
        if offset >= 0, offset < slotAtOffset.count {
            let slot = Int(slotAtOffset[offset])
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
        if call.nameStart >= 0, call.nameStart < calleeAtOffset.count, let known = calleeAtOffset[call.nameStart],
           known.name == call.name {
            return known.callee
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
        guard offset >= 0 else { return }
        if offset >= slotAtOffset.count {
            slotAtOffset.append(contentsOf: repeatElement(-1, count: offset - slotAtOffset.count + 1))
        }
        slotAtOffset[offset] = Int32(slot)
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
                note(body)
            case .forLoop(let variable, let from, let to, _, let body, _):
                note(variable)
                note(from)
                note(to)
                note(body)
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
        if call.nameStart >= 0 {
            if call.nameStart >= calleeAtOffset.count {
                calleeAtOffset.append(contentsOf: repeatElement(nil, count: call.nameStart - calleeAtOffset.count + 1))
            }
            calleeAtOffset[call.nameStart] = (call.name, resolve(call.name))
        }
        for argument in call.arguments { note(argument) }
        for (_, value) in call.namedArguments { note(value) }
    }
}

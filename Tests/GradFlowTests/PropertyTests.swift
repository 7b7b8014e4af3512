import Foundation
import GradFlow
import Testing
import TestSupport

/// Random expressions: reverse mode, forward mode and symbolic (higher-order) differentiation
/// all agree with central differences of the same function evaluated in plain Swift.
@Suite struct PropertyTests {
    /// A random expression tree over the inputs, built once as a closure tree that can be
    /// evaluated both on Doubles (independently of the engine) and on the tape.
    indirect enum Expression {
        case input(Int)
        case constant(Double)
        case unary(Op, Expression)
        case binary(Op, Expression, Expression)
        case scaled(Op, Double, Expression)

        func evaluate(_ x: [Double]) -> Double {
            switch self {
            case .input(let i): return x[i]
            case .constant(let c): return c
            case .unary(let op, let a):
                let v = a.evaluate(x)
                switch op {
                case .sin: return Foundation.sin(v)
                case .cos: return Foundation.cos(v)
                case .tanh: return Foundation.tanh(v)
                case .exp: return Foundation.exp(v)
                case .sigmoid: return 1 / (1 + Foundation.exp(-v))
                case .negate: return -v
                default: fatalError("unused op \(op)")
                }
            case .binary(let op, let a, let b):
                let (u, v) = (a.evaluate(x), b.evaluate(x))
                switch op {
                case .add: return u + v
                case .subtract: return u - v
                case .multiply: return u * v
                default: fatalError("unused op \(op)")
                }
            case .scaled(let op, let c, let a):
                let v = a.evaluate(x)
                switch op {
                case .multiplyConstant: return c * v
                case .addConstant: return v + c
                case .powerConstant: return Foundation.pow(v, c)
                default: fatalError("unused op \(op)")
                }
            }
        }

        func record(_ inputs: [Variable], _ tape: Tape) -> Variable {
            switch self {
            case .input(let i): return inputs[i]
            case .constant(let c): return tape.constant(c)
            case .unary(let op, let a): return a.record(inputs, tape).unary(op)
            case .binary(let op, let a, let b): return a.record(inputs, tape).binary(op, b.record(inputs, tape))
            case .scaled(let op, let c, let a): return a.record(inputs, tape).unary(op, parameter: c)
            }
        }
    }

    // Smooth ops only, with bounded growth, so central differences are trustworthy.
    static func randomExpression(_ rng: inout SeededGenerator, depth: Int, inputs: Int) -> Expression {
        if depth == 0 || rng.below(5) == 0 {
            return rng.below(4) == 0 ? .constant(rng.uniform(-2, 2)) : .input(rng.below(inputs))
        }
        switch rng.below(3) {
        case 0:
            let ops: [Op] = [.sin, .cos, .tanh, .sigmoid, .negate, .exp]
            var op = ops[rng.below(ops.count)]
            if op == .exp && depth > 2 { op = .tanh }  // keep values moderate
            return .unary(op, randomExpression(&rng, depth: depth - 1, inputs: inputs))
        case 1:
            let ops: [Op] = [.add, .subtract, .multiply]
            return .binary(ops[rng.below(ops.count)], randomExpression(&rng, depth: depth - 1, inputs: inputs),
                           randomExpression(&rng, depth: depth - 1, inputs: inputs))
        default:
            let choices: [(Op, Double)] = [(.multiplyConstant, rng.uniform(-2, 2)), (.addConstant, rng.uniform(-1, 1)), (.powerConstant, 2), (.powerConstant, 3)]
            let (op, c) = choices[rng.below(choices.count)]
            return .scaled(op, c, randomExpression(&rng, depth: depth - 1, inputs: inputs))
        }
    }

    @Test func reverseForwardAndSymbolicAgreeWithCentralDifferences() {
        var rng = SeededGenerator(seed: 20_181_231)
        for trial in 0..<300 {
            let inputCount = 1 + rng.below(3)
            let expression = Self.randomExpression(&rng, depth: 5, inputs: inputCount)
            let point = (0..<inputCount).map { _ in rng.uniform(-1.5, 1.5) }
            let tape = Tape()
            let inputs = point.map { tape.input($0) }
            let output = expression.record(inputs, tape)
            #expect(isClose(output.value, expression.evaluate(point), relative: 1e-12, absolute: 1e-12), "trial \(trial)")
            let adjoint = tape.graph.adjoints(from: output.id)
            for (i, input) in inputs.enumerated() {
                let numeric = centralDifference(at: point[i]) { value in
                    var moved = point
                    moved[i] = value
                    return expression.evaluate(moved)
                }
                let tangent = tape.graph.tangents(withRespectTo: input.id)[output.id]
                let symbolic = tape.derivative(output, input).value
                #expect(isClose(adjoint[input.id], numeric, relative: 1e-5, absolute: 1e-6), "trial \(trial) reverse")
                #expect(isClose(tangent, adjoint[input.id], relative: 1e-12, absolute: 1e-12), "trial \(trial) forward")
                #expect(isClose(symbolic, adjoint[input.id], relative: 1e-10, absolute: 1e-12), "trial \(trial) symbolic")
            }
            #expect(tape.graph.checkInvariants())
        }
    }
}

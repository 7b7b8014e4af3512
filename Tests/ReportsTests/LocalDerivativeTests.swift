import Foundation
import GradFlow
import Reports
import Testing
import TestSupport

/// The local-derivative texts of the adjoint trace, each next to the partial it stands for.
@Suite struct LocalDerivativeTests {
    /// Records `op` on a at 0.5 (and b at 2 for binary ops), names the node `y`, and returns the
    /// text of ∂y/∂(operand) and the recorded partial.
    func local(_ op: Op, operand: Int = 0, parameter: Double = 0) -> (text: String, partial: Double) {
        var graph = Graph()
        let a = graph.appendLeaf(value: 0.5, name: "a"), b = graph.appendLeaf(value: 2, name: "b")
        let y: NodeID
        switch op.arity {
        case 2: y = graph.append(op, a, b)
        case nil: y = graph.appendVariadic(op, [a, b, a])
        default: y = graph.append(op, a, parameter: parameter)
        }
        graph.annotations.names[y] = "y"
        return (graph.localDerivativeExpression(of: y, operandIndex: operand), graph.partials(of: y)[operand])
    }

    @Test func binaryOps() {
        #expect(local(.multiply, operand: 0).text == "b")
        #expect(local(.multiply, operand: 1).text == "a")
        #expect(local(.subtract, operand: 1).text == "−1")
        #expect(local(.divide, operand: 0).text == "1 / b")
        let divisor = local(.divide, operand: 1)
        #expect(divisor.text == "−a / b^2" && isClose(divisor.partial, -0.5 / 4))
        let base = local(.power, operand: 0)  // b · a^(b − 1) = 2 · 0.5 = 1
        #expect(base.text == "b · a^(b − 1)" && isClose(base.partial, 1))
        let exponent = local(.power, operand: 1)  // y · ln(a) = 0.25 · ln 0.5
        #expect(exponent.text == "y · ln(a)" && isClose(exponent.partial, 0.25 * Foundation.log(0.5)))
        #expect(local(.max, operand: 1).text == "[b > a]" && local(.max, operand: 1).partial == 1)
        #expect(local(.min, operand: 0).text == "[a ≤ b]" && local(.min, operand: 0).partial == 1)
    }

    @Test func unaryOps() {
        #expect(local(.sin).text == "cos(a)" && isClose(local(.sin).partial, Foundation.cos(0.5)))
        #expect(local(.cos).text == "−sin(a)" && isClose(local(.cos).partial, -Foundation.sin(0.5)))
        #expect(local(.ln).text == "1 / a" && isClose(local(.ln).partial, 2))
        #expect(local(.exp).text == "y" && isClose(local(.exp).partial, Foundation.exp(0.5)))
        let t = Foundation.tanh(0.5)
        #expect(local(.tanh).text == "1 − y^2" && isClose(local(.tanh).partial, 1 - t * t))
        let s = 1 / (1 + Foundation.exp(-0.5))
        #expect(local(.sigmoid).text == "y · (1 − y)" && isClose(local(.sigmoid).partial, s * (1 - s)))
        #expect(local(.sqrt).text == "1 / (2 · y)" && isClose(local(.sqrt).partial, 0.5 / Foundation.sqrt(0.5)))
        #expect(local(.tan).text == "1 + y^2")
        #expect(local(.relu).text == "[a > 0]" && local(.relu).partial == 1)
        #expect(local(.abs).text == "sign(a)")
        #expect(local(.negate).text == "−1")
    }

    @Test func opsWithAConstant() {
        #expect(local(.powerConstant, parameter: 2).text == "2 · a")
        let cube = local(.powerConstant, parameter: 3)  // 3 · a^2 = 0.75
        #expect(cube.text == "3 · a^2" && isClose(cube.partial, 0.75))
        #expect(local(.multiplyConstant, parameter: 3).text == "3")
        #expect(local(.divideByConstant, parameter: 4).text == "1 / 4")
        let reciprocal = local(.constantDivide, parameter: 3)  // −3 / a^2 = −12
        #expect(reciprocal.text == "−3 / a^2" && isClose(reciprocal.partial, -12))
        #expect(local(.constantPower, parameter: 2).text == "ln(2) · y")
        #expect(local(.addConstant, parameter: 2).text == "1")
        #expect(local(.constantSubtract, parameter: 2).text == "−1")
    }

    @Test func variadicOps() {
        #expect(local(.sum).text == "1")
        let mean = local(.mean)
        #expect(mean.text == "1 / 3" && isClose(mean.partial, 1.0 / 3))
    }
}

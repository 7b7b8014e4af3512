import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// Expressions: literal folding, precedence, every built-in function against its symbolic
/// derivative, and numbers that misbehave.
@Suite struct ExpressionTests {
    /// The ops recorded after the inputs for `y = <expression>` with `input x = <at>`.
    func ops(_ expression: String, at x: Double = 2) throws -> [Op] {
        let scene = try trace("input x = \(x)\ny = \(expression)\noutput y")
        return Array(scene.graph.ops.dropFirst())
    }

    @Test func literalsFoldIntoTheOpThatUsesThem() throws {
        #expect(try ops("x * 0.5") == [.multiplyConstant])
        #expect(try ops("0.5 * x") == [.multiplyConstant])
        #expect(try ops("x + 3") == [.addConstant])
        #expect(try ops("3 + x") == [.addConstant])
        #expect(try ops("x - 3") == [.addConstant])
        #expect(try ops("2 - x") == [.constantSubtract])
        #expect(try ops("x / 4") == [.divideByConstant])
        #expect(try ops("1 / x") == [.constantDivide])
        #expect(try ops("x ^ 2") == [.powerConstant])
        #expect(try ops("2 ^ x") == [.constantPower])
        #expect(try ops("x ^ x") == [.power])
        #expect(try ops("-x") == [.negate])
        // The user wrote `* 1` and `+ 0`: they stay in the graph.
        #expect(try ops("x * 1 + 0") == [.multiplyConstant, .addConstant])
        // Numbers alone fold to a number, which the assignment makes a constant leaf.
        #expect(try ops("2 * 3 + 4 / 8 - 1") == [.constant])
        let scene = try trace("input x = 2\ny = x - 3\noutput y")
        #expect(scene.graph.parameters[1] == -3)
        #expect(isClose(scene.value("y"), -1))
    }

    @Test func precedenceAndAssociativity() throws {
        // ^ binds tighter than unary minus, and is right-associative.
        let scene = try trace("""
            input x = 3
            a = -x^2
            b = 2^3^2
            c = 1 + 2 * x - 8 / 4 / 2
            d = (1 + 2) * x
            e = x^-1
            output a
            """)
        #expect(isClose(scene.value("a"), -9))
        #expect(isClose(scene.value("b"), 512))
        #expect(isClose(scene.value("c"), 6))
        #expect(isClose(scene.value("d"), 9))
        #expect(isClose(scene.value("e"), 1.0 / 3))
    }

    @Test func constantExponentIsThePowerRuleAloneSoNegativeBasesHaveNoNaN() throws {
        let scene = try trace("input x = -3\ny = x^2\nz = x^3\noutput y, z")
        #expect(isClose(scene.value("y"), 9))
        #expect(isClose(scene.derivative(of: "y", by: "x"), -6))
        #expect(isClose(scene.derivative(of: "z", by: "x"), 27))
        #expect(scene.graph.firstNonFiniteNode == nil)
    }

    @Test func nodeExponentDifferentiatesBothWays() throws {
        // d(x^y)/dx = y·x^(y−1) = 3·4 = 12; d(x^y)/dy = x^y·ln x = 8 ln 2.
        let scene = try trace("input x = 2, y = 3\nz = x^y\nw = pow(x, y)\noutput z, w")
        #expect(scene.graph.ops[2] == .power)
        #expect(isClose(scene.derivative(of: "z", by: "x"), 12))
        #expect(isClose(scene.derivative(of: "z", by: "y"), 8 * Foundation.log(2)))
        #expect(isClose(scene.derivative(of: "w", by: "y"), 8 * Foundation.log(2)))
    }

    /// Each unary function's value and derivative at a point, against the closed forms.
    struct UnaryCase: Sendable, CustomStringConvertible {
        var name: String
        var x: Double
        var value: Double
        var derivative: Double
        var description: String { "\(name)(\(x))" }

        init(_ name: String, _ x: Double, _ value: Double, _ derivative: Double) {
            self.name = name
            self.x = x
            self.value = value
            self.derivative = derivative
        }
    }

    static let unaryCases: [UnaryCase] = [
        UnaryCase("exp", 0.7, Foundation.exp(0.7), Foundation.exp(0.7)),
        UnaryCase("ln", 0.7, Foundation.log(0.7), 1 / 0.7),
        UnaryCase("log", 0.7, Foundation.log(0.7), 1 / 0.7),
        UnaryCase("sin", 0.7, Foundation.sin(0.7), Foundation.cos(0.7)),
        UnaryCase("cos", 0.7, Foundation.cos(0.7), -Foundation.sin(0.7)),
        UnaryCase("tan", 0.7, Foundation.tan(0.7), 1 / (Foundation.cos(0.7) * Foundation.cos(0.7))),
        UnaryCase("tanh", 0.7, Foundation.tanh(0.7), 1 / (Foundation.cosh(0.7) * Foundation.cosh(0.7))),
        UnaryCase("sigmoid", 0.7, 1 / (1 + Foundation.exp(-0.7)), Foundation.exp(-0.7) / ((1 + Foundation.exp(-0.7)) * (1 + Foundation.exp(-0.7)))),
        UnaryCase("relu", 0.7, 0.7, 1),
        UnaryCase("relu", -0.7, 0, 0),
        UnaryCase("sqrt", 0.7, Foundation.sqrt(0.7), 0.5 / Foundation.sqrt(0.7)),
        UnaryCase("abs", -0.7, 0.7, -1),
    ]

    @Test(arguments: unaryCases)
    func unaryFunction(_ unary: UnaryCase) throws {
        let (name, x, value, derivative) = (unary.name, unary.x, unary.value, unary.derivative)
        let scene = try trace("input x = \(x)\ny = \(name)(x)\noutput y")
        #expect(isClose(scene.value("y"), value, relative: 1e-14))
        #expect(isClose(scene.derivative(of: "y", by: "x"), derivative, relative: 1e-12))
        // On a number, the function folds to a number.
        let folded = try trace("y = \(name)(\(x))\noutput y")
        #expect(folded.graph.ops == [.constant])
        #expect(isClose(folded.value("y"), value, relative: 1e-14))
    }

    /// The wiring from scene names to the op table: every one-argument op is callable by each of
    /// its names, records that op, and folds to the same number on a literal.
    @Test func everyOneArgumentOpOfTheTableIsCallable() throws {
        for op in Op.allCases where op.arity == 1 {
            for name in op.rule.sceneNames {
                let scene = try trace("input x = 0.7\ny = \(name)(x)\noutput y")
                #expect(scene.graph.ops.last == op, "\(name)")
                #expect(isClose(scene.value("y"), op.evaluate(0.7).value, relative: 1e-15), "\(name)")
                #expect(isClose(scene.derivative(of: "y", by: "x"), op.evaluate(0.7).da, relative: 1e-15), "\(name)")
                #expect(isClose(try trace("y = \(name)(0.7)\noutput y").value("y"), op.evaluate(0.7).value, relative: 1e-15), "\(name)")
            }
        }
    }

    @Test func maxMinSumMean() throws {
        let scene = try trace("""
            input a = 2, b = 5
            hi = max(a, b)
            lo = min(a, b)
            r = max(a, 0)
            s = sum(a, b, a, 1)
            m = mean(a, b, 2)
            output hi, lo, r, s, m
            """)
        #expect(isClose(scene.value("hi"), 5))
        #expect(isClose(scene.value("lo"), 2))
        #expect(isClose(scene.value("r"), 2))
        #expect(isClose(scene.value("s"), 10))
        #expect(isClose(scene.value("m"), 3))
        #expect(isClose(scene.derivative(of: "hi", by: "b"), 1))
        #expect(isClose(scene.derivative(of: "hi", by: "a"), 0))
        #expect(isClose(scene.derivative(of: "lo", by: "a"), 1))
        #expect(isClose(scene.derivative(of: "s", by: "a"), 2))
        #expect(isClose(scene.derivative(of: "m", by: "b"), 1.0 / 3))
        // Numbers next to nodes become unnamed constant leaves (named t1, t2, …).
        let r = try #require(scene.node("r"))
        #expect(scene.graph.operands(of: r).map { scene.graph.ops[$0] } == [.input, .constant])
        // All numbers fold.
        let folded = try trace("y = max(1, 2) + min(1, 2) + sum(1, 2, 3) + mean(2, 4)\noutput y")
        #expect(isClose(folded.value("y"), 12))
    }

    @Test func nonFiniteValuesDoNotStopTheTraceAndTheFirstIsNamed() throws {
        let scene = try trace("""
            input x = -1
            a = x * 2
            b = ln(x)
            c = 1 / (x + 1)
            d = sqrt(-4)
            output c
            """)
        #expect(scene.value("b").isNaN)
        #expect(scene.value("c") == .infinity)
        #expect(scene.value("d").isNaN)
        #expect(scene.graph.firstNonFiniteNode.map { scene.graph.label(of: $0) } == "b")
    }

    @Test func hugeLiteralsAreADiagnosticAndTinyOnesAreZero() throws {
        #expect(rendered("y = 1e999999\noutput y") == """
            test.scene:1:5: error: the number `1e999999` is too large for a Double (the largest is about 1.8e308)
            y = 1e999999
                ^
            """)
        let tiny = try trace("y = 1e-999999\noutput y")
        #expect(tiny.value("y") == 0)
        let long = try trace("y = \(String(repeating: "1", count: 300)).5\noutput y")
        #expect(isClose(long.value("y"), 1.1111111111111111e299))
    }

    @Test func numberForms() throws {
        let scene = try trace("a = 2; b = 2.5; c = .5; d = 1e-3; e = 6.8813735870195432; f = 2E+2\noutput a")
        #expect(scene.value("a") == 2)
        #expect(scene.value("b") == 2.5)
        #expect(scene.value("c") == 0.5)
        #expect(scene.value("d") == 0.001)
        #expect(scene.value("e") == 6.8813735870195432)
        #expect(scene.value("f") == 200)
    }
}

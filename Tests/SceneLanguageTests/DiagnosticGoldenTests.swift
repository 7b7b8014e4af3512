import SceneLanguage
import Testing
import TestSupport

/// Every kind of diagnostic, with its exact rendered text (checked by hand: message, line,
/// column counted in characters, the line, and the caret under the column).
@Suite struct DiagnosticGoldenTests {
    @Test func unknownFunction() {
        // The list is the op table's; its order is checked here by hand once.
        #expect(builtinFunctionList.hasPrefix("exp, ln, log, sin, cos, tan, tanh, sigmoid, relu, sqrt, abs, "))
        #expect(builtinFunctionList.hasSuffix(", pow, max, min, sum, mean, grad, randn, zeros, ones, full, linspace, transpose, softmax, log_softmax, logsumexp, reshape"))
        #expect(rendered("input x = 1\ny = foo(x)\noutput y") == """
            test.scene:2:5: error: unknown function `foo`; the built-in functions are \(builtinFunctionList)
            y = foo(x)
                ^
            """)
    }

    @Test func wrongArgumentCountForABuiltin() {
        #expect(rendered("input x = 1\ny = sin(x, x)\noutput y") == """
            test.scene:2:5: error: `sin` takes one argument, but 2 arguments were given
            y = sin(x, x)
                ^
            """)
    }

    @Test func wrongArgumentCountForAUserFunction() {
        #expect(rendered("input x = 1\nfn f(a, b) = a + b\ny = f(x)\noutput y") == """
            test.scene:3:5: error: `f` takes 2 arguments (a, b), but 1 argument was given
            y = f(x)
                ^
            """)
    }

    @Test func gradNeedsANameSecond() {
        #expect(rendered("input x = 1\ny = grad(x, 2)\noutput y") == """
            test.scene:2:13: error: the second argument of `grad` must be the name of a node, e.g. `grad(y, x)`
            y = grad(x, 2)
                        ^
            """)
    }

    @Test func valueMissingAfterAnOperator() {
        #expect(rendered("input x = 1\ny = x +\noutput y") == """
            test.scene:3:1: error: expected a value, found the keyword `output`
            output y
            ^
            """)
    }

    @Test func unclosedParenthesis() {
        #expect(rendered("input x = 1\ny = (x + 1\noutput y") == """
            test.scene:3:1: error: expected `)` to close the `(` on line 2, found `output`
            output y
            ^
            """)
    }

    @Test func implicitProductIsExplained() {
        #expect(rendered("input x = 1\ny = 2x\noutput y") == """
            test.scene:2:6: error: expected the end of the statement, found `x`; write `*` for a product, e.g. `2 * x`
            y = 2x
                 ^
            """)
    }

    @Test func unexpectedCharacter() {
        #expect(rendered("input x = 1\ny = x $ 2\noutput y") == """
            test.scene:2:7: error: unexpected character `$` (U+0024)
            y = x $ 2
                  ^
            """)
    }

    @Test func unterminatedString() {
        #expect(rendered("title \"unterminated\noutput x") == """
            test.scene:1:7: error: unterminated string: a string ends with `"` on the same line
            title "unterminated
                  ^
            """)
    }

    @Test func outputNamesNothing() {
        #expect(rendered("input x = 1\noutput g") == """
            test.scene:2:8: error: `g` names nothing in the scene, so it cannot be an output
            output g
                   ^
            """)
    }

    @Test func inputDeclaredTwice() {
        #expect(rendered("input x = 1\ninput x = 2\noutput x") == """
            test.scene:2:7: error: `x` is already declared on line 1; an input or constant is declared once only
            input x = 2
                  ^
            """)
    }

    @Test func inputAfterTheNameWasAssigned() {
        #expect(rendered("input x = 1\ny = x\ninput y = 2\noutput y") == """
            test.scene:3:7: error: `y` is already defined above; declare inputs before using their names
            input y = 2
                  ^
            """)
    }

    @Test func loopVariableCannotBeAssigned() {
        #expect(rendered("input x = 1\nfor i in 1...3 { i = x }\noutput x") == """
            test.scene:2:18: error: `i` is a loop variable and cannot be assigned
            for i in 1...3 { i = x }
                             ^
            """)
    }

    @Test func repeatCountMustBeWhole() {
        #expect(rendered("input x = 1\nrepeat 2.5 { x = x * 2 }\noutput x") == """
            test.scene:2:8: error: a repeat count must be a whole number, but it is 2.5
            repeat 2.5 { x = x * 2 }
                   ^
            """)
    }

    @Test func repeatCountCannotBeNegative() {
        #expect(rendered("input x = 1\nrepeat -1 { x = x * 2 }\noutput x") == """
            test.scene:2:8: error: a repeat count cannot be negative (it is -1)
            repeat -1 { x = x * 2 }
                   ^
            """)
    }

    @Test func emptyRunawayLoopStopsAtOnce() {
        #expect(rendered("input x = 1\nrepeat 1000000000000 { }\noutput x") == """
            test.scene:2:1: error: this loop would run 1000000000000 times, beyond the limit of 1000000 loop iterations, calls and nodes (raise it with --max-nodes)
            repeat 1000000000000 { }
            ^
            """)
    }

    @Test func runawayLoopStopsAtOnce() {
        #expect(rendered("input x = 1\nrepeat 1000000000000 { x = x * 2 }\noutput x") == """
            test.scene:2:1: error: this loop would run 1000000000000 times, beyond the limit of 1000000 loop iterations, calls and nodes (raise it with --max-nodes)
            repeat 1000000000000 { x = x * 2 }
            ^
            """)
    }

    @Test func nestedLoopsStopAtTheLimit() {
        // Each inner loop fits on its own; together they cross the (lowered) limit.
        #expect(rendered("input x = 1\nrepeat 20 { repeat 1000 { x = x * 2 } }\noutput x", limits: SceneLimits(maxNodes: 5_000)) == """
            test.scene:2:13: error: this loop would take the scene beyond the limit of 5000 loop iterations, calls and nodes (raise it with --max-nodes)
            repeat 20 { repeat 1000 { x = x * 2 } }
                        ^
            """)
    }

    @Test func recursionWithoutABaseCase() {
        #expect(rendered("input x = 1\nfn f(a) = f(a) * 2\ny = f(x)\noutput y") == """
            test.scene:2:11: error: function calls nested more than 1000 deep (is `f` recursive without a base case?); raise the limit with --max-call-depth
            fn f(a) = f(a) * 2
                      ^
            """)
    }

    @Test func functionWithoutReturn() {
        #expect(rendered("input x = 1\nfn f(a) { b = a }\ny = f(x)\noutput y") == """
            test.scene:3:5: error: function `f` ended without `return`
            y = f(x)
                ^
            """)
    }

    @Test func returnOutsideAFunction() {
        #expect(rendered("input x = 1\ny = x\nreturn y\noutput y") == """
            test.scene:3:1: error: `return` is only allowed inside a `fn` body
            return y
            ^
            """)
    }

    @Test func conditionMustBeAComparison() {
        #expect(rendered("input x = 1\nif x { y = 1 }\noutput x") == """
            test.scene:2:4: error: expected a condition such as `x > 0`
            if x { y = 1 }
               ^
            """)
    }

    @Test func comparisonIsNotAValue() {
        #expect(rendered("input x = 1\ny = x + (x > 1)\noutput y") == """
            test.scene:2:9: error: a comparison is not a value; comparisons only go in `if` conditions
            y = x + (x > 1)
                    ^
            """)
    }

    @Test func comparisonsDoNotChain() {
        #expect(rendered("input x = 1\nif 1 < x < 2 { y = 1 }\noutput x") == """
            test.scene:2:10: error: comparisons cannot be chained; combine them with `and`, e.g. `a < b and b < c`
            if 1 < x < 2 { y = 1 }
                     ^
            """)
    }

    @Test func declarationsOnlyAtTopLevel() {
        #expect(rendered("input x = 1\nrepeat 2 { input z = 3 }\noutput x") == """
            test.scene:2:12: error: `input` is only allowed at the top level of a scene, not inside a block or function; is a `}` missing above?
            repeat 2 { input z = 3 }
                       ^
            """)
    }

    @Test func inputValueCannotUseUndefinedNames() {
        #expect(rendered("input y = x * 2\noutput y") == """
            test.scene:1:11: error: unknown name `x`; define it first, e.g. `input x = 1`
            input y = x * 2
                      ^
            """)
    }

    @Test func titleGivenTwice() {
        #expect(rendered("input x = 1\ntitle \"a\"\ntitle \"b\"\noutput x") == """
            test.scene:3:1: error: the scene already has a title (line 2)
            title "b"
            ^
            """)
    }

    @Test func builtinCannotBeRedefined() {
        #expect(rendered("fn sin(a) = a\noutput x") == """
            test.scene:1:4: error: `sin` is a built-in function and cannot be redefined
            fn sin(a) = a
               ^
            """)
    }

    @Test func functionDefinedTwice() {
        #expect(rendered("fn f(a) = a\nfn f(b) = b\ny = f(1)\noutput y") == """
            test.scene:2:4: error: function `f` is already defined on line 1
            fn f(b) = b
               ^
            """)
    }

    @Test func parameterTwice() {
        #expect(rendered("fn f(a, a) = a\noutput x") == """
            test.scene:1:9: error: parameter `a` appears twice
            fn f(a, a) = a
                    ^
            """)
    }

    @Test func strayClosingBrace() {
        #expect(rendered("input x = 1\nif x > 0 { y = 1 } else { z = 2 }\n}\noutput x") == """
            test.scene:3:1: error: unexpected `}`: no block is open
            }
            ^
            """)
    }

    @Test func missingClosingBrace() {
        #expect(rendered("input x = 1\nif x > 0 {\ny = 1\noutput x") == """
            test.scene:4:1: error: `output` is only allowed at the top level of a scene, not inside a block or function; is a `}` missing above?
            output x
            ^
            """)
    }

    @Test func twoDotRange() {
        #expect(rendered("input x = 1\nfor i in 1..3 { }\noutput x") == """
            test.scene:2:11: error: unexpected `..`; a range is written `1...3` (3 included) or `1..<3` (3 excluded)
            for i in 1..3 { }
                      ^
            """)
    }

    @Test func noteNeedsAString() {
        #expect(rendered("input x = 1\nnote x hello\noutput x") == """
            test.scene:2:8: error: expected a string after `note x`, e.g. `note x "why"`
            note x hello
                   ^
            """)
    }

    @Test func bareName() {
        #expect(rendered("input x = 1\nx\noutput x") == """
            test.scene:2:2: error: expected `=` after `x`, found end of line
            x
             ^
            """)
    }

    @Test func bareCall() {
        #expect(rendered("input x = 1\nprint(x)\noutput x") == """
            test.scene:2:1: error: unknown function `print`; gradflow shows every node's value itself (`gradflow trace`, `gradflow step`); the built-in functions are \(builtinFunctionList)
            print(x)
            ^
            """)
    }

    @Test func loopVariableIsNotVisibleAfterTheLoop() {
        #expect(rendered("input x = 1\nfor i in 1...3 { y = i }\noutput i") == """
            test.scene:3:8: error: `i` names nothing here (it is the variable of the `for` loop on line 2 and exists only inside that loop), so it cannot be an output
            output i
                   ^
            """)
    }

    @Test func bang() {
        #expect(rendered("input x = 1\ny = x ! 2\noutput y") == """
            test.scene:2:7: error: unexpected `!`; write `not` for negation or `!=` for “not equal”
            y = x ! 2
                  ^
            """)
    }

    @Test func typographicQuotes() {
        #expect(rendered("input x = 1\ny = “x”\noutput y") == """
            test.scene:2:5: error: unexpected typographic quote (U+201C); strings use straight quotes `"`
            y = “x”
                ^
            """)
    }

    /// Symbols copied from a slide: the message says what to type (it said only
    /// "unexpected character `²` (U+00B2)").
    @Test func superscriptsAndMathematicalSymbols() {
        #expect(rendered("input σ = 1\nv = σ²\noutput v") == """
            test.scene:2:6: error: unexpected superscript `²` (U+00B2); write `^2` for a power (`x^2`), or `2` in a name (`σ2`)
            v = σ²
                 ^
            """)
        #expect(rendered("input a = 1, b = 2\ny = a − b\noutput y") == """
            test.scene:2:7: error: unexpected `−` (U+2212); write `-`
            y = a − b
                  ^
            """)
        #expect(rendered("input a = 1, b = 2\ny = a × b\noutput y").contains("error: unexpected `×` (U+00D7); write `*`"))
        #expect(rendered("input a = 1, b = 2\ny = a · b\noutput y").contains("error: unexpected `·` (U+00B7); write `*`"))
        #expect(rendered("input a = 1\nif a ≥ 0 { y = a } else { y = -a }\noutput y").contains("error: unexpected `≥` (U+2265); write `>=`"))
        #expect(rendered("input x = 4\ny = √x\noutput y").contains("error: unexpected `√` (U+221A); write `sqrt(…)`"))
        #expect(rendered("input x = 4\ny = x³\noutput y").contains("write `^3` for a power (`x^3`)"))
    }

    /// Habits from Python, NumPy and PyTorch get what to write here (they got "unexpected `.`",
    /// "expected a value, found `*`", "expected `=` after `def`" and the like).
    @Test func pythonHabits() {
        #expect(rendered("input x = 2\ny = x ** 2\noutput y") == """
            test.scene:2:8: error: expected a value, found `*`; write `^` for a power, e.g. `x^2` (`**` is Python's)
            y = x ** 2
                   ^
            """)
        #expect(rendered("input W = [[1, 2], [3, 4]]\ny = sum(W.T)\noutput y") == """
            test.scene:2:10: error: unexpected `.`: a scene has no methods or modules; write `transpose(W)` for `W.T`, `exp(x)` for `np.exp(x)`
            y = sum(W.T)
                     ^
            """)
        #expect(rendered("input x = 2\ny = np.exp(x)\noutput y").contains("write `transpose(W)` for `W.T`, `exp(x)` for `np.exp(x)`"))
        #expect(rendered("input x = [[1, 2], [3, 4]]\ny = sum(sum(x, axis=1))\noutput y")
            .contains("error: expected `,` or `)` in the call of `sum`, found `=`; a named argument takes `:`, e.g. `axis: 1`"))
        #expect(rendered("input x = [1, 2, 3]\ny = sum(x[0:2])\noutput y")
            .contains("found `:`; a slice such as `0:2` is not supported: index one position, or a whole axis with `:`"))
        #expect(rendered("input x = 2\ny = x\nfor i in range(3) { y = y * x }\noutput y")
            .contains("error: expected `...` or `..<` in the range, found `{`; `range(n)` is Python's: write `for i in 0..<n`"))
        #expect(rendered("input x = 2\ndef f(a):\n  return a\noutput x") == """
            test.scene:2:1: error: `def` is Python's: a function is written `fn f(a) = a^2`, or `fn f(a) { …; return … }`
            def f(a):
            ^
            """)
        // A `.` that follows no name stays the plain message, and the first character of a file too.
        #expect(rendered("input x = 2\ny = x + .\noutput y").contains("error: unexpected `.`\n"))
        #expect(rendered(".").contains("test.scene:1:1: error: unexpected `.`\n"))
    }

    @Test func nulByte() {
        #expect(rendered("input x = 1\ny = x\0 + 1\noutput y") == """
            test.scene:2:6: error: unexpected character U+0000
            y = x� + 1
                 ^
            """)
    }

    @Test func unaryPlus() {
        #expect(rendered("input x = 1\ny = + x\noutput y") == """
            test.scene:2:5: error: unary `+` is not part of the language; just leave it out
            y = + x
                ^
            """)
    }

    @Test func keywordAsName() {
        #expect(rendered("input if = 1\noutput if") == """
            test.scene:1:7: error: `if` is a keyword and cannot be used as a name
            input if = 1
                  ^
            """)
    }

    @Test func elseWithoutIf() {
        #expect(rendered("input x = 1\nelse { }\noutput x") == """
            test.scene:2:1: error: `else` without `if`
            else { }
            ^
            """)
    }

    @Test func gradOfAComparison() {
        #expect(rendered("input x = 1\ny = grad(sin(x) > 0, x)\noutput y") == """
            test.scene:2:10: error: a comparison is not a value; comparisons only go in `if` conditions
            y = grad(sin(x) > 0, x)
                     ^
            """)
    }

    @Test func gradInACondition() {
        #expect(rendered("input x = 1\nif grad(x, x) > 0 { y = 1 }\noutput x") == """
            test.scene:2:4: error: `grad` cannot be used in a condition or a count; assign it to a name first
            if grad(x, x) > 0 { y = 1 }
               ^
            """)
    }

    @Test func strayDot() {
        #expect(rendered("input x = 1\ny = x . 2\noutput y") == """
            test.scene:2:7: error: unexpected `.`
            y = x . 2
                  ^
            """)
    }

    @Test func unknownEscape() {
        #expect(rendered("input x = 1\nnote x \"bad \\q escape\"\noutput x") == """
            test.scene:2:13: error: unknown escape in a string; use `\\"`, `\\\\`, `\\n` or `\\t`
            note x "bad \\q escape"
                        ^
            """)
    }

    @Test func endOfFileInsideAnExpression() {
        #expect(rendered("input x = 1\ny = x +\n") == """
            test.scene:3:1: error: expected a value, found end of file

            ^
            """)
    }

    @Test func tabsKeepTheCaretAligned() {
        #expect(rendered("input x = 1\n\tyy = \tx + zz\noutput yy") == """
            test.scene:2:12: error: unknown name `zz`; define it first, e.g. `input zz = 1`
            	yy = 	x + zz
            	     	    ^
            """)
    }
}

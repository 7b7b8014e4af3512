import Foundation
import Testing
import TestSupport

/// `gradflow check` during a live demo: kinks, branches and inputs that are counts or seeds are
/// explained, not failed; status 0 when everything else agrees.
@Suite struct CheckAtKinksTests {
    private func check(_ scene: String, json: Bool = false) throws -> GradflowRun {
        try runGradflow(["check", try temporaryScene(scene)] + (json ? ["--format", "json"] : []))
    }

    @Test("relu(x) and abs(x) at 0: not differentiable, reported with both slopes, status 0")
    func reluAndAbsAtZero() throws {
        let relu = try check("input x = 0\ny = relu(x)\noutput y\n")
        #expect(relu.status == 0, "\(relu.stdout)")
        #expect(relu.stdout.contains("note: ∂y/∂x: not differentiable at x = 0 (y = relu(x) at its kink): left 0, right 1; AD gives 0, the left slope"))
        #expect(relu.stdout.contains("passed: all 1 derivatives agree (1 checked one-sided at a kink or branch)"))
        let abs = try check("input x = 0\ny = abs(x)\noutput y\n")
        #expect(abs.status == 0, "\(abs.stdout)")
        #expect(abs.stdout.contains("not differentiable at x = 0 (y = abs(x) at its kink): left -1, right 1; AD gives 0, between the two"))
    }

    @Test("abs(x) at 1e-8: the central difference crosses the kink, explained; status 0")
    func absJustRightOfZero() throws {
        let run = try check("input x = 1e-8\ny = abs(x)\noutput y\n")
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("crosses y = abs(x) between x − h and x + h, so it mixes two slopes; one-sided: left ≈ -1, right 1; AD gives 1, the right slope"))
    }

    @Test("an if whose branch switches between x − h and x + h (same op, other constant): explained; status 0")
    func branchAtItsBoundary() throws {
        let scene = "input x = 1\nif x > 1 {\n  y = x * 2\n} else {\n  y = x * 3\n}\noutput y\n"
        let run = try check(scene)
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("crosses the branch taken (tracing again at x + h recorded a different graph)"))
        #expect(run.stdout.contains("left 3, right ≈ 2; AD gives 3, the left slope"))
        let json = try check(scene, json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        let entry = try #require((object["entries"] as? [[String: Any]])?.first)
        #expect(entry["traceChanged"] as? Bool == true)
        let finding = try #require(entry["finiteDifference"] as? [String: Any])
        #expect(finding["kind"] as? String == "oneSided" && finding["agreesWith"] as? String == "left")
        #expect(isClose((finding["left"] as? NSNumber)?.doubleValue ?? .nan, 3, relative: 1e-8))
    }

    @Test("a repeat count that is an input: not checkable by finite differences, the others checked; status 0")
    func repeatCountInput() throws {
        // y = x · x³ = x⁴ at x = 2: dy/dx = 4x³ = 32.
        let run = try check("input n = 3, x = 2\ny = x\nrepeat n {\n  y = y * x\n}\noutput y\n", json: true)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let entries = try #require(object["entries"] as? [[String: Any]])
        let n = try #require(entries.first { $0["input"] as? String == "n" })
        let reason = try #require((n["finiteDifference"] as? [String: Any])?["reason"] as? String)
        #expect(reason.hasPrefix("a repeat count must be a whole number"), "\(reason)")
        let x = try #require(entries.first { $0["input"] as? String == "x" })
        #expect(x["finiteDifference"] as? String == "agrees")
        #expect(isClose((x["centralDifference"] as? NSNumber)?.doubleValue ?? .nan, 32, relative: 1e-8))
        let text = try check("input n = 3, x = 2\ny = x\nrepeat n {\n  y = y * x\n}\noutput y\n")
        #expect(text.stdout.contains("note: n cannot be checked by finite differences"))
        #expect(text.stdout.contains("passed: all 2 derivatives agree (1 input (n) checked against forward mode only)"))
    }

    @Test("a randn seed that is an input: not checkable; the reparameterisation gradient is checked")
    func randnSeedInput() throws {
        // z = sigma · randn(s): dz/dsigma = randn(7) = 1.3649922974572282 (the README's number).
        let run = try check("input s = 7, sigma = 2\nz = sigma * randn(s)\noutput z\n", json: true)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let entries = try #require((try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["entries"] as? [[String: Any]])
        let sigma = try #require(entries.first { $0["input"] as? String == "sigma" })
        #expect(isClose((sigma["reverse"] as? NSNumber)?.doubleValue ?? .nan, 1.3649922974572282, relative: 1e-15))
        #expect(sigma["finiteDifference"] as? String == "agrees")
        let s = try #require(entries.first { $0["input"] as? String == "s" })
        #expect((s["finiteDifference"] as? [String: Any])?["kind"] as? String == "notCheckable")
    }
}

/// The same for tensor scenes, checked element by element: an element of relu's operand at 0 is
/// a kink, reported with both slopes, not as a wrong gradient.
@Suite struct TensorCheckAtKinksTests {
    @Test("relu of a matrix product with an element at 0: not differentiable there, both slopes, status 0")
    func reluOfAnElementAtZero() throws {
        // W @ x = [1 − 1, 0.5 + 2] = [0, 2.5]; L = h[0] + 2 h[1]. Moving W[0, 0] or W[0, 1] moves
        // the element at 0: slope 0 from the left (relu is flat), 1 from the right; AD takes relu′(0) = 0.
        let scene = "input W = [[1, -1], [0.5, 2]]\nconst x = [1, 1]\nh = relu(W @ x)\nL = sum(h * [1, 2])\noutput L\n"
        let path = try temporaryScene(scene)
        let run = try runGradflow(["check", path])
        #expect(run.status == 0, "\(run.stdout)")
        #expect(run.stdout.contains("note: ∂L/∂W[0, 0]: not differentiable here (h[0] of h = relu(t1) at its kink): left 0, right 1; AD gives 0, the left slope"))
        #expect(run.stdout.contains("passed: all 4 derivatives agree (2 checked one-sided at a kink)"))
        #expect(!run.stdout.contains("DIFFERS"))
        let json = try runGradflow(["check", path, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["passed"] as? Bool == true)
        let first = try #require((object["entries"] as? [[String: Any]])?.first)
        let kink = try #require(first["kink"] as? [String: Any])
        #expect(abs((kink["right"] as? Double ?? 0) - 1) < 1e-6)
    }
}

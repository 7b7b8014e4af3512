import Foundation
import Testing
import TestSupport

/// Tensor scenes as an attacker writes them, through the built binary, some under a memory limit
/// (`ulimit -v`): each ends in one positioned line and exit status 2, or in its result; never in
/// a crash, a hang or gigabytes of memory.
@Suite struct TensorLimitTests {
    /// Address-space limits cannot be combined with the sanitizers' shadow memory (`make sanitize`).
    static let limitsApply = !gradflowBinary.path.contains("/.build-asan/") && !gradflowBinary.path.contains("/.build-tsan/")

    /// `gradflow ARGUMENTS` (a shell word list) with its address space limited to `kilobytes`,
    /// killed after 60 s if it has not ended by itself (status 137; SIGTERM may be blocked in a test runner's children).
    func runLimited(kilobytes: Int, _ arguments: String) throws -> GradflowRun {
        try runGradflowInShell("ulimit -v \(kilobytes) && exec timeout -s KILL 60 \"$GRADFLOW\" \(arguments)")
    }

    /// A stack of 64 entries of a 4M-element tensor used to copy all 2 GiB of them before its
    /// size was checked: under a 1.2 GB limit that was a crash in the allocator.
    @Test(.enabled(if: limitsApply)) func aHugeStackIsRefusedBeforeItIsCopied() throws {
        let entries = Array(repeating: "x", count: 64).joined(separator: ", ")
        let scene = try temporaryScene("const x = zeros(2048, 2048)\ny = [\(entries)]\nloss = sum(y)\noutput loss\n")
        let run = try runLimited(kilobytes: 1_200_000, "grad '\(scene)'")
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("\(scene):2:5: error: cannot stack 64 entries of shape [2048, 2048]: the result would hold more than 16777216 elements"))
        #expect(run.stderr.split(separator: "\n").count == 3, "\(run.stderr)")
    }

    /// All the tensors of a scene hold at most 8,388,608 elements unless `--max-elements` raises it
    /// (the limit was 2^26, which let `grad` of a seven-line scene reach 1.7 GB).
    @Test func theElementBudgetIsAnOptionWithAPositionedError() throws {
        let scene = try temporaryScene("const a = zeros(2048, 2048)\nb = a + 1\nc = b * 2\nloss = sum(c)\noutput loss\n")
        let refused = try runGradflow(["grad", scene])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("\(scene):3:5: error: the scene's tensors hold more than 8388608 elements in all, "
            + "the limit for a scene (raise it with --max-elements)\n"), "\(refused.stderr)")
        let raised = try runGradflow(["grad", scene, "--max-elements", "13000000", "--format", "json"])
        #expect(raised.status == 0, "\(raised.stderr)")
        // 2048 · 2048 elements, each (0 + 1) · 2.
        #expect(raised.stdout == "{\"outputs\":[{\"name\":\"loss\",\"value\":8388608,\"gradient\":{}}]}\n", "\(raised.stdout)")
        let zero = try runGradflow(["grad", scene, "--max-elements", "0"])
        #expect(zero.status == 64 && zero.stderr.contains("--max-elements must be at least 1"), "\(zero.stderr)")
    }

    /// Under a memory limit, OpenBLAS's thread pool (started when the library was loaded) spun
    /// forever on a refused 128 MiB buffer and the program never exited, even for a scalar scene;
    /// and the first large product hung the same way. Now OpenBLAS is opened at the first large
    /// product, with no pool, and a product it has no room for runs in plain loops.
    @Test(.enabled(if: limitsApply)) func aMemoryLimitDoesNotHangTheMatrixLibrary() throws {
        // The smallest limit (in 32 MB steps) under which a scalar scene runs: gradflow's own size.
        var smallest: Int?
        for megabytes in stride(from: 128, through: 1_536, by: 32) {
            let run = try runGradflowInShell("ulimit -v \(megabytes * 1_000) && exec timeout -s KILL 20 \"$GRADFLOW\" grad Scenes/survey.scene")
            if run.status == 0 {
                smallest = megabytes
                #expect(run.stdout.hasPrefix("f = 11.652071455223084\n"))
                break
            }
        }
        let megabytes = try #require(smallest, "gradflow grad never ran under a memory limit of up to 1.5 GB")
        // 64 · 64 · 64 multiply–adds go to OpenBLAS when it has room; here it has 32 MB, not 128.
        let scene = try temporaryScene("const A = ones(64, 64)\nB = A @ A\nloss = sum(B)\noutput loss\n")
        let run = try runLimited(kilobytes: (megabytes + 32) * 1_000, "grad '\(scene)' --format json")
        #expect(run.status == 0, "status \(run.status): \(run.stderr)")
        #expect(run.stdout == "{\"outputs\":[{\"name\":\"loss\",\"value\":262144,\"gradient\":{}}]}\n", "\(run.stdout)")
    }
}

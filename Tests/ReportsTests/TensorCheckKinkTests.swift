import Testing
@testable import Reports

/// The one-sided slopes that excuse a central difference at a kink excuse nothing else.
@Suite struct TensorCheckKinkTests {
    @Test("at a smooth point both sides agree, so a wrong gradient is not excused")
    func smoothPointExcusesNothing() {
        // f(x) = x² at x = 1: both one-sided slopes are 2; a reverse value of 2.5 stays wrong.
        let kink = TensorGradientCheck.kink(reverse: 2.5, centre: 1, row: 0, x: 1, h: 1e-5, tolerance: 1e-6) { [$0 * $0] }
        #expect(kink == nil)
    }

    @Test("at |x|'s kink the slopes are −1 and 1: AD's side is named, a value of neither side is not excused")
    func kinkNamesTheSide() {
        let abs: (Double) -> [Double]? = { [Swift.abs($0)] }
        let left = TensorGradientCheck.kink(reverse: -1, centre: 0, row: 0, x: 0, h: 1e-5, tolerance: 1e-6, retrace: abs)
        #expect(left?.takesLeft == true)
        #expect(left.map { Swift.abs($0.left + 1) < 1e-9 && Swift.abs($0.right - 1) < 1e-9 } == true)
        #expect(TensorGradientCheck.kink(reverse: 1, centre: 0, row: 0, x: 0, h: 1e-5, tolerance: 1e-6, retrace: abs)?.takesLeft == false)
        #expect(TensorGradientCheck.kink(reverse: 0.4, centre: 0, row: 0, x: 0, h: 1e-5, tolerance: 1e-6, retrace: abs) == nil)
    }
}

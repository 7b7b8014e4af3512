import GradFlow
import Notation
import Testing
import TestSupport

/// Tensor values as every view writes them: in full up to 4×4, else shape and summary; each
/// string written out by hand.
@Suite struct TensorValueNotationTests {
    let unicode = Notation(format: .significant(4))
    let ascii = Notation(.ascii, format: .significant(4))
    let latex = Notation(.latex, format: .significant(4))

    static let matrix = Tensor(shape: [2, 2], elements: [0.1, -0.2, 0.4, 0.3])

    @Test func smallTensorsAreWrittenInFull() {
        #expect(unicode.tensor(Tensor(shape: [3], elements: [1, 2, 3])) == "[1, 2, 3]")
        #expect(unicode.tensor(Self.matrix) == "[[0.1, -0.2], [0.4, 0.3]]")
        #expect(ascii.tensor(Self.matrix) == "[[0.1, -0.2], [0.4, 0.3]]")
        #expect(unicode.tensor(Tensor(scalar: 2.5)) == "2.5")
        #expect(unicode.tensor(Tensor(shape: [2], elements: [1 / 3, -0.0])) == "[0.3333, 0]")
        // Rank 3 nests as NumPy prints it.
        let cube = Tensor(shape: [2, 1, 2], elements: [1, 2, 3, 4])
        #expect(unicode.tensor(cube) == "[[[1, 2]], [[3, 4]]]")
    }

    @Test func rowsAlignTheColumnsForBoxesAndTables() {
        #expect(unicode.tensorRows(Self.matrix) == ["[[0.1, -0.2],", " [0.4,  0.3]]"])
        #expect(unicode.tensorRows(Tensor(shape: [3], elements: [1, -2, 3])) == ["[1, -2, 3]"])
        let wide = Tensor(shape: [3, 2], elements: [1, 10.5, -100, 2, 3, 4])
        #expect(unicode.tensorRows(wide) == ["[[   1, 10.5],", " [-100,    2],", " [   3,    4]]"])
        #expect(unicode.tensorEntries(wide) == [["1", "10.5"], ["-100", "2"], ["3", "4"]])
        #expect(unicode.tensorEntries(Tensor(shape: [2], elements: [1, 2])) == [["1", "2"]])
        #expect(unicode.tensorEntries(Tensor(repeating: 1, shape: [5, 2])) == nil)
    }

    @Test func latexIsABmatrix() {
        #expect(latex.tensor(Self.matrix) == "\\begin{bmatrix}0.1 & -0.2 \\\\ 0.4 & 0.3\\end{bmatrix}")
        #expect(latex.tensor(Tensor(shape: [3], elements: [1, 2, 3])) == "\\begin{bmatrix}1 & 2 & 3\\end{bmatrix}")
        #expect(latex.tensorRows(Self.matrix) == [latex.tensor(Self.matrix)])
        #expect(latex.tensor(Tensor(shape: [2], elements: [1.5e-7, 2])) == "\\begin{bmatrix}1.5 \\times 10^{-7} & 2\\end{bmatrix}")
        let cube = Tensor(shape: [2, 1, 2], elements: [1, 2, 3, 4])
        #expect(latex.tensor(cube)
            == "\\begin{bmatrix}\\begin{bmatrix}1 & 2\\end{bmatrix} \\\\ \\begin{bmatrix}3 & 4\\end{bmatrix}\\end{bmatrix}")
    }

    @Test func theLimitIsFourByFourAndSixteenEntriesForAVector() {
        #expect(Notation.writesInFull(Tensor(repeating: 1, shape: [4, 4])))
        #expect(!Notation.writesInFull(Tensor(repeating: 1, shape: [5, 2])))
        #expect(!Notation.writesInFull(Tensor(repeating: 1, shape: [2, 5])))
        #expect(Notation.writesInFull(Tensor(repeating: 1, shape: [16])))
        #expect(!Notation.writesInFull(Tensor(repeating: 1, shape: [17])))
        #expect(!Notation.writesInFull(Tensor(repeating: 1, shape: [2, 3, 3])))
    }

    @Test func largeTensorsAreAShapeAndASummary() {
        // The X of Scenes/tensors/linear-regression-tensors.scene: 16 entries summing to 7,
        // so the mean is 7 / 16 = 0.4375; min -2, max 3.
        let x = Tensor(shape: [8, 2], elements: [0.5, 1, 1, -0.5, 1.5, 0.25, 2, 1.5, -0.5, 0.75, -1, -1.25, 0.25, -2, 3, 0.5])
        #expect(isClose(x.elements.reduce(0, +), 7))
        #expect(unicode.tensor(x) == "[8, 2]: 0.5, 1, 1, -0.5, …; min -2, max 3, mean 0.4375")
        #expect(ascii.tensor(x) == "[8, 2]: 0.5, 1, 1, -0.5, ...; min -2, max 3, mean 0.4375")
        #expect(unicode.tensorRows(x) == ["[8, 2]: 0.5, 1, 1, -0.5, …", "min -2, max 3, mean 0.4375"])
        #expect(latex.tensor(x)
            == "[8, 2]\\colon 0.5, 1, 1, -0.5, \\ldots;\\ \\min -2,\\ \\max 3,\\ \\mathrm{mean}\\ 0.4375")
        // A summary of a small tensor, for views that always want one.
        #expect(unicode.summary(of: Self.matrix) == "[2, 2]: 0.1, -0.2, 0.4, 0.3; min -0.2, max 0.4, mean 0.15")
    }

    @Test func aNaNEntryMakesTheMeanNaNButNotTheRange() {
        var elements = [Double](repeating: 1, count: 20)
        elements[3] = .nan
        elements[7] = -4
        #expect(unicode.tensor(Tensor(shape: [20], elements: elements))
            == "[20]: 1, 1, 1, NaN, …; min -4, max 1, mean NaN")
    }
}

import Foundation

/// How large a bitmap (PNG) gradflow lets cairo allocate: in all, and along either side.
public struct BitmapLimit: Sendable, Equatable {
    /// Pixels in all: 50 megapixels are 200 MB of cairo surface.
    public var maximumPixels: Int
    /// Pixels along either side: cairo's own limit.
    public var maximumSide: Int

    public static let standard = BitmapLimit(maximumPixels: 50_000_000, maximumSide: 32_767)

    public init(maximumPixels: Int, maximumSide: Int) {
        self.maximumPixels = maximumPixels
        self.maximumSide = maximumSide
    }

    /// The bitmap's size for a drawing of the given inches: Graphviz pads 4 points a side, and
    /// cairo's bitmaps came out up to 16 pixels larger than that; 32 more keep the estimate above.
    func pixels(inchesWide: Double, inchesHigh: Double, dpi: Int) -> (width: Int, height: Int) {
        let pad = 8.0 / 72
        return (Int(((inchesWide + pad) * Double(dpi)).rounded(.up)) + 32, Int(((inchesHigh + pad) * Double(dpi)).rounded(.up)) + 32)
    }

    func admits(_ size: (width: Int, height: Int)) -> Bool {
        size.width <= maximumSide && size.height <= maximumSide && size.width * size.height <= maximumPixels
    }

    /// The highest resolution below `dpi` whose bitmap fits (at least 1 dpi).
    func largestDPI(inchesWide: Double, inchesHigh: Double, below dpi: Int) -> Int {
        var candidate = dpi - 1
        while candidate > 1, !admits(pixels(inchesWide: inchesWide, inchesHigh: inchesHigh, dpi: candidate)) {
            let size = pixels(inchesWide: inchesWide, inchesHigh: inchesHigh, dpi: candidate)
            // Jump close to the answer, then step.
            let factor = min(Double(maximumSide) / Double(max(size.width, size.height)),
                             (Double(maximumPixels) / Double(size.width * size.height)).squareRoot())
            candidate = min(candidate - 1, max(1, Int(Double(candidate) * factor)))
        }
        return max(1, candidate)
    }
}

/// A bitmap drawn smaller than asked, to stay within a ``BitmapLimit``.
public struct BitmapScaling: Sendable, Equatable {
    public var requested: (width: Int, height: Int)
    public var requestedDPI: Int
    public var drawn: (width: Int, height: Int)
    public var drawnDPI: Int

    public static func == (a: BitmapScaling, b: BitmapScaling) -> Bool {
        a.requested == b.requested && a.requestedDPI == b.requestedDPI && a.drawn == b.drawn && a.drawnDPI == b.drawnDPI
    }

    /// What to tell the user: what was avoided, what was drawn, and how to get a usable picture.
    public var message: String {
        var text = "the PNG would be \(requested.width)×\(requested.height) pixels at \(requestedDPI) dpi, "
            + "more than a bitmap can sensibly be; it was drawn at \(drawnDPI) dpi (\(drawn.width)×\(drawn.height))"
        if drawn.width < 400 || drawn.height < 60 || drawnDPI < 48 {
            text += ", too small to read: export SVG or PDF instead (they scale without limit), "
                + "or make it less wide or tall with --rankdir TB (or LR) or --collapse"
        } else {
            text += "; for every detail export SVG or PDF"
        }
        return text
    }
}

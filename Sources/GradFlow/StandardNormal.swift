import Foundation

/// A fixed generator of standard-normal numbers: the same seed gives the same number on every
/// machine, with no dependence on the platform's random source.
///
/// The seed goes through SplitMix64 (Steele, Lea and Flood, 2014) to give two 64-bit words; each
/// becomes a uniform number in (0, 1) from its top 53 bits, and the Box–Muller transform turns
/// the pair into one normal number: `sqrt(−2 ln u1) · cos(2π u2)`. Only `+ − × ÷`, `log`, `sqrt`
/// and `cos` of IEEE doubles are involved.
public enum StandardNormal {
    /// The standard-normal number for `seed`.
    public static func sample(seed: Int64) -> Double {
        var state = UInt64(bitPattern: seed)
        let u1 = uniform(splitMix(&state))
        let u2 = uniform(splitMix(&state))
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// One SplitMix64 step.
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number strictly inside (0, 1) from the top 53 bits.
    static func uniform(_ bits: UInt64) -> Double {
        (Double(bits >> 11) + 0.5) / 9_007_199_254_740_992
    }
}

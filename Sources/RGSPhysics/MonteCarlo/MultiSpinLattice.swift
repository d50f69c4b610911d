import Foundation
import RGSNumerics

/// 512 replicas of a rows x columns Ising torus (h = 0) at one beta, one bit per replica:
/// word i holds site i of every replica, bit `lane * 64 + b` being replica `lane * 64 + b`
/// (1 = up). Checkerboard Metropolis updates all replicas of a site with bit logic.
///
/// With K anti-aligned neighbours, a flip costs dE = 8 - 4K: it is accepted outright for K >= 2,
/// with probability p1 = exp(-4 beta) for K = 1 and p2 = exp(-8 beta) for K = 0. Each replica
/// compares one uniform number, read bit by bit from the most significant end, with the binary
/// expansions of p1 and p2 until its comparison is decided, so the acceptance is exact to 2^-64
/// (rounding the thresholds to 12 bits biased the energy by 10 standard errors).
struct MultiSpinLattice {
    let rows: Int
    let columns: Int
    private(set) var spins: [SpinLanes]
    /// Bit k (from the top) of 2^64 p1 (1) and of 2^64 p2 (2), or-ed: which replicas' threshold
    /// bit is 1 at comparison step k.
    let thresholdBits: [UInt8]
    /// beta = 0: Metropolis would flip every spin with certainty, so a sweep draws every spin
    /// afresh instead (`FlipRule.at(beta:)`).
    private let infiniteTemperature: Bool

    /// Comparison steps taken for every site before testing whether all replicas have decided.
    static let fixedSteps = 12

    init(rows: Int, columns: Int, beta: Double) {
        self.rows = rows
        self.columns = columns
        spins = [SpinLanes](repeating: SpinLanes(repeating: .max), count: rows * columns)
        let t1 = AcceptanceTable.threshold(probability: FlipRule.metropolis.probability(beta, 4))
        let t2 = AcceptanceTable.threshold(probability: FlipRule.metropolis.probability(beta, 8))
        thresholdBits = (0..<64).map { (k: Int) -> UInt8 in
            let shift = UInt64(63 - k)
            return UInt8(truncatingIfNeeded: (t1 >> shift) & 1 | ((t2 >> shift) & 1) << 1)
        }
        infiniteTemperature = beta == 0
    }

    /// One checkerboard sweep of all 512 replicas.
    mutating func sweep(_ rng: inout VectorRandom) {
        if infiniteTemperature {
            for i in spins.indices { spins[i] = rng.next() }
            return
        }
        let rows = rows, columns = columns
        spins.withUnsafeMutableBufferPointer { s in
            thresholdBits.withUnsafeBufferPointer { bits in
                for colour in 0..<2 {
                    Self.update(s.baseAddress!, rows: rows, columns: columns, colour: colour, bits.baseAddress!, &rng)
                }
            }
        }
    }

    private static func update(_ s: UnsafeMutablePointer<SpinLanes>, rows: Int, columns: Int, colour: Int,
                               _ bits: UnsafePointer<UInt8>, _ rng: inout VectorRandom) {
        var random = rng
        for r in 0..<rows {
            let row = r &* columns
            let up = (r == 0 ? rows &- 1 : r &- 1) &* columns
            let down = (r == rows &- 1 ? 0 : r &+ 1) &* columns
            var c = (r &+ colour) & 1
            while c < columns {
                let left = c == 0 ? columns &- 1 : c &- 1
                let right = c == columns &- 1 ? 0 : c &+ 1
                let spin = s[row &+ c]
                // a_k = 1 where neighbour k is anti-aligned; K = a1 + a2 + a3 + a4 bitwise.
                let a1 = spin ^ s[row &+ left], a2 = spin ^ s[row &+ right]
                let a3 = spin ^ s[up &+ c], a4 = spin ^ s[down &+ c]
                let x12 = a1 ^ a2, x34 = a3 ^ a4
                let atLeastTwo = (a1 & a2) | (a3 & a4) | (x12 & x34)
                let odd = x12 ^ x34
                let one = odd & ~atLeastTwo, none = ~(atLeastTwo | odd)
                s[row &+ c] = spin ^ (atLeastTwo | accepted(one: one, none: none, bits, &random))
                c &+= 2
            }
        }
        rng = random
    }

    /// The replicas that accept a flip among those with K = 1 (`one`) and K = 0 (`none`): each
    /// compares its uniform number with p1 or p2, bit by bit from the top (`bits`, as in
    /// `thresholdBits`), while its random bits equal the threshold's; a 0 random bit under a 1
    /// bit of p means u < p (accept). `fixedSteps` steps run without testing whether all have
    /// decided.
    @inline(__always)
    static func accepted(one: SpinLanes, none: SpinLanes, _ bits: UnsafePointer<UInt8>,
                         _ random: inout VectorRandom) -> SpinLanes {
        var undecided = one | none, flip = SpinLanes()
        var k = 0
        while k < fixedSteps {
            step(&flip, &undecided, random.next(), one, none, bits[k])
            k &+= 1
        }
        while k < 64 && anyBit(undecided) {
            step(&flip, &undecided, random.next(), one, none, bits[k])
            k &+= 1
        }
        return flip
    }

    /// One comparison step: `bits` says whether bit k of p1 (1) and of p2 (2) is set, the same
    /// for every site, so the branch is predicted. A replica still undecided has K = 1 (`one`)
    /// or K = 0 (`none`); where its threshold bit is 1, a 0 random bit accepts and a 1 goes on;
    /// where it is 0, a 1 random bit rejects and a 0 goes on.
    @inline(__always)
    private static func step(_ flip: inout SpinLanes, _ undecided: inout SpinLanes, _ random: SpinLanes,
                             _ one: SpinLanes, _ none: SpinLanes, _ bits: UInt8) {
        switch bits {
        case 0:
            undecided &= ~random
        case 1:
            flip |= undecided & one & ~random
            undecided &= ~(random ^ one)
        case 2:
            flip |= undecided & none & ~random
            undecided &= ~(random ^ none)
        default:
            flip |= undecided & ~random
            undecided &= random
        }
    }

    /// True if any bit is set (OR-reduced by halves: one vptest).
    @inline(__always)
    private static func anyBit(_ v: SpinLanes) -> Bool {
        let four = v.lowHalf | v.highHalf
        let two = four.lowHalf | four.highHalf
        return two[0] | two[1] != 0
    }

    /// Writes replica `r` (for every r with `slot(r)` non-nil) as a packed sample at
    /// `out + slot(r) * wordsPerSample`, transposing 64 sites x 64 replicas at a time.
    func pack(into out: UnsafeMutablePointer<UInt64>, wordsPerSample wps: Int, slot: (Int) -> Int?) {
        let n = rows * columns
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { block in
            let b = block.baseAddress!
            for q in 0..<wps {
                for lane in 0..<8 {
                    for j in 0..<64 { b[j] = q * 64 + j < n ? spins[q * 64 + j][lane] : 0 }
                    transposeBits64(b)
                    for bit in 0..<64 {
                        if let target = slot(lane * 64 + bit) { out[target * wps + q] = b[bit] }
                    }
                }
            }
        }
    }
}

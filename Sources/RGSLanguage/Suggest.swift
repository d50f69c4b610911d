/// "Did you mean" suggestions: the nearest candidate by edit distance, if it is close enough.
public enum Suggest {
    /// The candidate closest to `word`, within a distance that scales with the word's length.
    /// A word that differs from a candidate only in case names it. A word that begins exactly one candidate names it (`sus` -> `susceptibility`, not `U`).
    /// Ties go to a candidate with the same letters (`fi` -> `if`, not `fn`), then to the first
    /// in alphabetical order, so the hint never depends on a set's order.
    static func nearest(_ word: String, in candidates: some Sequence<String>) -> String? {
        // A difference of case alone names that candidate (`Ising` -> `ising`, not `ising1d`).
        if let same = candidates.filter({ $0 != word && $0.lowercased() == word.lowercased() }).min() { return same }
        let w = Array(word.lowercased())
        let extending = candidates.filter { $0.count > w.count && $0.lowercased().hasPrefix(word.lowercased()) }
        if w.count >= 2, extending.count == 1 { return extending[0] }
        let letters = w.sorted()
        var best: (name: String, d: Int, anagram: Bool)?
        for c in candidates {
            let lower = Array(c.lowercased())
            let d = distance(w, lower), anagram = lower.sorted() == letters
            guard let b = best else {
                best = (c, d, anagram)
                continue
            }
            if (d, anagram ? 0 : 1, c) < (b.d, b.anagram ? 0 : 1, b.name) { best = (c, d, anagram) }
        }
        guard let (name, d, _) = best else { return nil }
        let limit = max(1, min(3, w.count / 4 + 1))
        return d <= limit && d < w.count ? name : nil
    }

    /// "did you mean `beta`?" or nil.
    public static func hint(_ word: String, in candidates: some Sequence<String>) -> String? {
        nearest(word, in: candidates).map { "did you mean `\($0)`?" }
    }

    /// The hint for an unknown name: the nearest of `names`, else the builtin that lists the name
    /// among its aliases (`autoencoder` -> `ae`).
    static func unknownName(_ name: String, among names: some Sequence<String>, builtins: [String: Builtin]) -> String? {
        hint(name, in: names) ?? builtins.values.first { $0.aliases.contains(name.lowercased()) }.map { "did you mean `\($0.name)`?" }
    }

    /// Optimal-string-alignment distance (a transposition costs 1, as in `btea` -> `beta`).
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[b.count]
    }
}

/// A periodic chain or rows x columns torus with its nearest-neighbour table.
///
/// A chain of N sites is stored as one row of N columns; its neighbours are left and right only.
struct Lattice: Sendable {
    let rows: Int
    let columns: Int
    /// Neighbours per site: 2 on the chain, 4 on the square lattice.
    let coordination: Int
    /// `neighbours[i * coordination + k]`: right, left (then down, up) neighbour of site i.
    let neighbours: [Int32]

    init(shape: [Int]) {
        rows = shape.count == 2 ? shape[0] : 1
        columns = shape.count == 2 ? shape[1] : shape[0]
        coordination = shape.count == 2 ? 4 : 2
        var table = [Int32]()
        table.reserveCapacity(rows * columns * coordination)
        for r in 0..<rows {
            for c in 0..<columns {
                table.append(Int32(r * columns + (c + 1) % columns))
                table.append(Int32(r * columns + (c + columns - 1) % columns))
                if coordination == 4 {
                    table.append(Int32(((r + 1) % rows) * columns + c))
                    table.append(Int32(((r + rows - 1) % rows) * columns + c))
                }
            }
        }
        neighbours = table
    }

    var siteCount: Int { rows * columns }

    /// sum over bonds of s_i s_j, each bond once (right and down neighbours).
    func bondSum(_ s: [Int8]) -> Int {
        var sum = 0
        for i in 0..<siteCount {
            sum += Int(s[i]) * Int(s[Int(neighbours[i * coordination])])
            if coordination == 4 { sum += Int(s[i]) * Int(s[Int(neighbours[i * coordination + 2])]) }
        }
        return sum
    }
}

/// How a minibatch's Gibbs chains are cut into blocks of rows, fixed by the layer and batch sizes.
///
/// The chains of different rows are independent, so each block runs the whole CD-k chain of its
/// rows (products, means, samples) and its share of the gradient in one go. The cut never depends
/// on the thread count, so neither does any sum (continuous data's sgemm, for one, picks its
/// kernel by the product's shape).
///
/// Small layers (W within 1 MB, the L2 cache of one core) run their blocks on the workers, each
/// with single-threaded products: per minibatch the products are too small to split further.
/// Larger layers take the whole minibatch as one block whose products are split over the
/// workers by fixed column slices (`TwoValuedProduct`) or blocks (`BLAS.product`), then spread
/// the rows' means and samples over the workers.
struct RBMBlockPlan {
    /// Rows per block (the last block of a minibatch may be shorter).
    let rowsPerBlock: Int
    /// Blocks run on the workers with single-threaded products (sharing W's lookup tables).
    let blocksInParallel: Bool

    /// About four blocks per minibatch (enough to balance a few workers), of 16 to 250 rows:
    /// fewer rows make the products inefficient. For 100 -> 81 at batch 1000, four blocks of 250
    /// rows took 0.032-0.038 s per epoch on an AVX2 Zen3 against 0.039-0.045 s for ten of 100
    /// (two of 500: 0.033-0.034 s, but only two workers busy).
    init(visible n: Int, hidden m: Int, batch: Int) {
        blocksInParallel = n * m <= 1 << 18
        rowsPerBlock = blocksInParallel ? min(batch, max(16, min(250, (batch + 3) / 4))) : batch
    }

    /// The number of blocks for a minibatch of `rows` rows.
    func blocks(rows: Int) -> Int { (rows + rowsPerBlock - 1) / rowsPerBlock }

    /// The rows of block `b` in a minibatch of `rows` rows.
    func range(_ b: Int, rows: Int) -> Range<Int> { (b * rowsPerBlock)..<min(rows, (b + 1) * rowsPerBlock) }
}

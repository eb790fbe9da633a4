/// How a GEMM's output is cut into tasks: blocks of row units (tiles or panels of rows) by
/// groups of column units (panels of columns), for the fp32 and the int8 GEMM alike.
///
/// Blocks and groups are as even as whole units allow: their sizes differ by at most one, and
/// the larger ones are spread out (block `b` starts at unit `⌊b·units/blocks⌋`). In parallel,
/// the row blocks are a multiple of the threads where there are rows enough, and the number of
/// tasks is too where splitting allows: the pool deals each thread a contiguous share of the
/// tasks, which is then the same amount of work give or take one unit. Blocks of a fixed size
/// left a short last one: 1797 rows in 8-row panels were 7 blocks of 32 and one of 1, so one of
/// two threads had 128 panels and the other 97 (1.7× one thread, not 1.9×); 256 rows in 12-row
/// tiles were 8 + 8 + 6.
struct TaskGrid {
    /// Whether the call is worth more than one thread (else its tasks run on the caller).
    let isParallel: Bool
    let rowUnits: Int, columnUnits: Int
    let rowBlocks: Int, columnGroups: Int

    /// `wanted` is `parallelTasks`'s answer for the call; a row block holds at most
    /// `maxRowUnits` units (so that its rows of A stay in L2).
    init(rowUnits: Int, columnUnits: Int, maxRowUnits: Int, threads: Int, wanted: Int) {
        self.rowUnits = rowUnits
        self.columnUnits = columnUnits
        let parallel = wanted > 1
        isParallel = parallel
        var blocks = max(1, (rowUnits + maxRowUnits - 1) / maxRowUnits)
        if parallel && rowUnits >= threads { blocks = (blocks + threads - 1) / threads * threads }
        var groups = 1
        // Enough tasks, and a multiple of the threads where splitting allows: with 11 tasks on 2
        // threads one thread runs 6 while the other waits after 5.
        func balanced() -> Bool {
            let tasks = blocks * groups
            return tasks >= wanted && (!parallel || tasks % threads == 0 || tasks >= 4 * wanted)
        }
        // Halve groups or blocks (the larger first) while the halves keep 1.5 units on average.
        func splits(_ units: Int, _ parts: Int) -> Bool { 2 * units >= 6 * parts }
        while !balanced() && (splits(columnUnits, groups) || splits(rowUnits, blocks)) {
            if splits(columnUnits, groups) && (columnUnits * blocks >= rowUnits * groups || !splits(rowUnits, blocks)) {
                groups *= 2
            } else {
                blocks *= 2
            }
        }
        rowBlocks = min(blocks, max(1, rowUnits))
        columnGroups = min(groups, max(1, columnUnits))
    }

    /// The number of tasks.
    var count: Int { rowBlocks * columnGroups }

    /// Block `block`'s row units.
    func rows(_ block: Int) -> Range<Int> { block * rowUnits / rowBlocks ..< (block + 1) * rowUnits / rowBlocks }

    /// Group `group`'s column units.
    func columns(_ group: Int) -> Range<Int> {
        group * columnUnits / columnGroups ..< (group + 1) * columnUnits / columnGroups
    }
}

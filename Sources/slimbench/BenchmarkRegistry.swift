/// Every benchmark group slimbench knows, in the order they run and print.
/// Add a group here after writing its file.
let benchmarkGroups: [any BenchmarkGroup] = [
    GEMMBenchmarks(),
    Int8GEMMBenchmarks(),
    QuantizedModelBenchmarks(),
    SparseBenchmarks(),
    PruningBenchmarks(),
    ElementwiseBenchmarks(),
    ReferenceBenchmarks(),
    TrainingBenchmarks(),
    FashionMNISTBenchmarks(),
    PoolBenchmarks(),
]

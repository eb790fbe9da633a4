import SlimKernels

extension Dataset {
    /// Splits the samples into a training part and a test part that keep the class proportions
    /// of the whole (a stratified split), then normalizes both with statistics fitted on the
    /// training part only.
    ///
    /// The test part has ⌈testFraction · count⌉ samples, as in scikit-learn's
    /// `train_test_split` (digits: 1347 train / 450 test at 0.25). Each class gives
    /// `classCount · testCount / count` of them, rounded down; the samples still missing go one
    /// each to the classes with the largest remainders (ties to the lower label). Which samples
    /// of a class go to the test part is decided by one seeded shuffle of all samples, which is
    /// also the order of both parts, so the split is a function of the seed alone.
    ///
    /// - Parameters:
    ///   - testFraction: the share of samples held out, strictly between 0 and 1.
    ///   - seed: the seed of the shuffle.
    ///   - normalization: how to normalize the features (fitted on the training part).
    /// - Throws: ``DatasetError/badParameter(name:value:allowed:)`` if the fraction is out of
    ///   range or leaves a part empty.
    public func split(testFraction: Double = 0.25, seed: UInt64 = 0,
                      normalization method: Normalization.Method = .standard) throws -> DatasetSplit {
        guard testFraction.isFinite, testFraction > 0, testFraction < 1 else {
            throw DatasetError.badParameter(name: "test", value: "\(testFraction)",
                                            allowed: "the test fraction must be between 0 and 1 (exclusive), like 0.25")
        }
        // Round away representation noise first: 0.1 × 150 is 15.000000000000002 in Double.
        let testCount = Int((testFraction * Double(count) - 1e-9).rounded(.up))
        guard testCount >= 1, testCount < count else {
            throw DatasetError.badParameter(
                name: "test", value: "\(testFraction)",
                allowed: "with \(count) samples it leaves \(testCount < 1 ? "no test samples" : "no training samples"); choose a fraction that keeps both parts non-empty")
        }

        let quotas = Self.testQuotas(classCounts: classCounts, testCount: testCount)
        var generator = SeededGenerator(seed: seed)
        var taken = [Int](repeating: 0, count: classCount)
        var trainIndices: [Int] = [], testIndices: [Int] = []
        trainIndices.reserveCapacity(count - testCount)
        testIndices.reserveCapacity(testCount)
        for index in generator.permutation(count) {
            let label = labels[index]
            if taken[label] < quotas[label] {
                taken[label] += 1
                testIndices.append(index)
            } else {
                trainIndices.append(index)
            }
        }

        let rawTrain = subset(trainIndices), rawTest = subset(testIndices)
        let normalization = Normalization.fit(method, to: rawTrain.features)
        var train = rawTrain, test = rawTest
        train.features = normalization.apply(to: rawTrain.features)
        test.features = normalization.apply(to: rawTest.features)
        return DatasetSplit(train: train, test: test, normalization: normalization,
                            rawTrainFeatures: rawTrain.features, rawTestFeatures: rawTest.features,
                            testFraction: testFraction, seed: seed)
    }

    /// Each class's share of `testCount`, by largest remainder (ties to the lower label).
    static func testQuotas(classCounts: [Int], testCount: Int) -> [Int] {
        let total = classCounts.reduce(0, +)
        guard total > 0 else { return classCounts.map { _ in 0 } }
        var quotas = classCounts.map { $0 * testCount / total }
        let remainders = classCounts.map { $0 * testCount % total }
        let missing = testCount - quotas.reduce(0, +)
        let order = classCounts.indices.sorted { a, b in
            remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b
        }
        for label in order.prefix(missing) { quotas[label] += 1 }
        return quotas
    }
}

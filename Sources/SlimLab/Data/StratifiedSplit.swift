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
    ///   - validationFraction: the share of the training part held out as a validation part
    ///     (stratified, seeded apart from the test split); 0 keeps none.
    /// - Throws: ``DatasetError/badParameter(name:value:allowed:)`` if the fraction is out of
    ///   range or leaves a part empty.
    public func split(testFraction: Double = 0.25, seed: UInt64 = 0,
                      normalization method: Normalization.Method = .standard,
                      validationFraction: Double = 0) throws -> DatasetSplit {
        let testCount = try heldOutCount(testFraction, option: "test", part: "test")
        let (trainIndices, testIndices) = stratifiedPartition(heldOut: testCount, seed: seed)
        return try Self.assemble(train: subset(trainIndices), test: subset(testIndices),
                                 validationFraction: validationFraction, seed: seed,
                                 normalization: method, testFraction: testFraction)
    }

    /// A split with a test set given apart (Fashion-MNIST's official 10,000 test images): the
    /// training set is kept whole, or loses a stratified validation part when
    /// `validationFraction` > 0; the normalization is fitted on what remains for training.
    public static func split(train: Dataset, officialTest test: Dataset, validationFraction: Double = 0,
                             seed: UInt64 = 0, normalization method: Normalization.Method = .standard) throws -> DatasetSplit {
        try assemble(train: train, test: test, validationFraction: validationFraction, seed: seed,
                     normalization: method, testFraction: nil)
    }

    /// `count` samples drawn with the class proportions of the whole (a stratified subset, in
    /// seeded order), for working with part of a large set (`data load fashion-mnist n=6000`).
    public func stratifiedSample(_ count: Int, seed: UInt64) throws -> Dataset {
        guard count >= 1 else {
            throw DatasetError.badParameter(name: "n", value: "\(count)", allowed: "at least 1 sample")
        }
        if count >= self.count { return self }
        return subset(stratifiedPartition(heldOut: count, seed: seed ^ Self.sampleSalt).heldOut)
    }

    /// Seeds the validation split and the subset apart from the test split.
    static let validationSalt: UInt64 = 0x5641_4C49_4441_5445   // "VALIDATE"
    static let sampleSalt: UInt64 = 0x5355_4253_4554_0000       // "SUBSET"

    /// ⌈fraction · count⌉, checked to leave both parts non-empty.
    func heldOutCount(_ fraction: Double, option: String, part: String) throws -> Int {
        guard fraction.isFinite, fraction > 0, fraction < 1 else {
            throw DatasetError.badParameter(name: option, value: "\(fraction)",
                                            allowed: "the \(part) fraction must be between 0 and 1 (exclusive), like 0.25")
        }
        // Round away representation noise first: 0.1 × 150 is 15.000000000000002 in Double.
        let heldOut = Int((fraction * Double(count) - 1e-9).rounded(.up))
        guard heldOut >= 1, heldOut < count else {
            throw DatasetError.badParameter(
                name: option, value: "\(fraction)",
                allowed: "with \(count) samples it leaves \(heldOut < 1 ? "no \(part) samples" : "no training samples"); choose a fraction that keeps both parts non-empty")
        }
        return heldOut
    }

    /// The indices kept and held out when `heldOut` samples are held out with the class
    /// proportions of the whole, both in the order of one seeded shuffle.
    func stratifiedPartition(heldOut: Int, seed: UInt64) -> (kept: [Int], heldOut: [Int]) {
        let quotas = Self.testQuotas(classCounts: classCounts, testCount: heldOut)
        var generator = SeededGenerator(seed: seed)
        var taken = [Int](repeating: 0, count: classCount)
        var kept: [Int] = [], held: [Int] = []
        kept.reserveCapacity(count - heldOut)
        held.reserveCapacity(heldOut)
        for index in generator.permutation(count) {
            let label = labels[index]
            if taken[label] < quotas[label] {
                taken[label] += 1
                held.append(index)
            } else {
                kept.append(index)
            }
        }
        return (kept, held)
    }

    /// Holds out the validation part, fits the normalization on the rest of the training part
    /// and applies it to every part.
    static func assemble(train all: Dataset, test rawTest: Dataset, validationFraction: Double, seed: UInt64,
                         normalization method: Normalization.Method, testFraction: Double?) throws -> DatasetSplit {
        var rawTrain = all
        var rawValidation: Dataset?
        if validationFraction != 0 {
            let count = try all.heldOutCount(validationFraction, option: "val", part: "validation")
            let (kept, held) = all.stratifiedPartition(heldOut: count, seed: seed ^ validationSalt)
            rawTrain = all.subset(kept)
            rawValidation = all.subset(held)
        }
        let normalization = Normalization.fit(method, to: rawTrain.features)
        var train = rawTrain, test = rawTest
        train.features = normalization.apply(to: rawTrain.features)
        test.features = normalization.apply(to: rawTest.features)
        var validation = rawValidation
        if let rawValidation { validation?.features = normalization.apply(to: rawValidation.features) }
        return DatasetSplit(train: train, test: test, normalization: normalization,
                            rawTrainFeatures: rawTrain.features, rawTestFeatures: rawTest.features,
                            testFraction: testFraction, seed: seed, validation: validation,
                            validationFraction: validation == nil ? nil : validationFraction)
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

import SlimKernels

extension Dataset {
    /// `count` sample indices drawn per class in the proportions of the whole (a stratified
    /// sample, so 60 of digits' 1 347 training samples give every digit 5 or 7 labels rather
    /// than leaving one out by chance), in increasing order. Which samples of a class are drawn
    /// is decided by one seeded shuffle, so the choice is a function of the seed alone.
    public func stratifiedSample(count: Int, seed: UInt64) -> [Int] {
        precondition(count >= 0 && count <= self.count, "stratifiedSample: \(count) of \(self.count) samples")
        if count == self.count { return Array(0..<count) }
        let quotas = Self.testQuotas(classCounts: classCounts, testCount: count)
        var generator = SeededGenerator(seed: seed)
        var taken = [Int](repeating: 0, count: classCount)
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        for index in generator.permutation(self.count) where taken[labels[index]] < quotas[labels[index]] {
            taken[labels[index]] += 1
            chosen.append(index)
        }
        return chosen.sorted()
    }
}

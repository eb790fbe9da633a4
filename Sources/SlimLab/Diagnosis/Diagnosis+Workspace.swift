import SlimKernels

extension Workspace {
    /// Diagnoses variant `compressed` against `reference` on the first `rows` training rows
    /// (a fixed batch; the test split stays untouched).
    public func diagnose(_ reference: String, _ compressed: String, rows: Int = 256) throws -> Diagnosis {
        guard reference != compressed else { throw DiagnosisError.sameVariant(reference) }
        let float = try variants.variant(named: reference)
        let other = try variants.variant(named: compressed)
        guard let data else { throw DiagnosisError.noBatch }
        try float.model.checkCompatible(with: data.train)
        let count = min(rows, data.train.count)
        let batch = data.train.features.rows(0..<count)
        return try Diagnosis.run(reference: float.model, compressed: other.model, floatName: reference,
                                 compressedName: compressed, batch: batch, pool: pool)
    }
}

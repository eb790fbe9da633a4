import XCTest
import Foundation
@testable import SlimLab
import SlimTestSupport

/// A command that fails or is stopped leaves the workspace as it found it: the snapshot the
/// REPL takes before every command holds all of it.
final class WorkspaceSnapshotTests: XCTestCase {
    func testRestoreBringsBackTheDataRecipeAndWhatIsKeptOnDisk() throws {
        let workspace = try Workspace.loading("iris")
        let recipe = try XCTUnwrap(workspace.dataRecipe)
        try workspace.newModel("mlp 4-8-3", name: "a", seed: 0)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slimlab-snapshot-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try workspace.saveModel("a", to: folder.appendingPathComponent("a.safetensors").path)
        try workspace.newModel("mlp 4-8-3", name: "b", seed: 1)
        XCTAssertEqual(workspace.unsavedVariantNames, ["b"])

        let snapshot = workspace.snapshot()
        // What a command might do before it fails: load other data, save a model, forget the kept ones.
        let other = DatasetRecipe(source: "digits", options: DatasetLoadOptions(), testFraction: 0.5, seed: 3,
                                  normalization: .minmax)
        workspace.data = try other.load()
        workspace.dataRecipe = other
        try workspace.saveModel("b", to: folder.appendingPathComponent("b.safetensors").path)
        workspace.keptVariants.warned = ["b"]
        XCTAssertEqual(workspace.unsavedVariantNames, [])

        workspace.restore(snapshot)
        XCTAssertEqual(workspace.dataRecipe, recipe)
        XCTAssertEqual(workspace.data?.train.name, "iris")
        XCTAssertEqual(workspace.unsavedVariantNames, ["b"], "b was saved only by the command that was undone")
        XCTAssertNil(workspace.keptVariants.warned)
    }
}

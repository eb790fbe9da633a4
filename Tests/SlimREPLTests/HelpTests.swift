import XCTest
@testable import SlimREPL

final class HelpTests: XCTestCase {
    let renderer = HelpRenderer(registry: .sample)

    func testOverviewListsTopicsWithTheirCommands() {
        XCTAssertEqual(renderer.overview(), """
            Commands by topic: 'help TOPIC' lists a topic's commands, 'help COMMAND' explains one.

              data          load
              models        model new|use
              training      train
              compression   steps
              session       help, set, history, quit

            new here? 'lesson open 0' starts the tour · Tab completes commands and names
            """)
    }

    func testTopicListsItsCommandsWithAliasesAsTyped() {
        XCTAssertEqual(renderer.topic(.model), """
            Models (type 'help COMMAND' for details):

              model new   build a new model
              model use   make a variant current (also: model select)
            """)
        XCTAssertEqual(CommandTopic(word: "Models"), .model)
        XCTAssertEqual(CommandTopic(word: "compression"), .compression)
        XCTAssertNil(CommandTopic(word: "modles"))
    }

    func testTheStandardOverviewFitsOneScreenAt80Columns() {
        let overview = HelpRenderer(registry: .standard, width: 80).overview().split(separator: "\n")
        XCTAssertLessThanOrEqual(overview.count, 35)
        XCTAssertTrue(overview.allSatisfy { DisplayWidth.of(String($0)) <= 80 })
        XCTAssertTrue(overview.contains { $0.contains("training|sensitivity|compare|calibration|activations|mask|bits") })
    }

    func testDetailListsArgumentsWithDefaultsAllowedValuesAndExamples() throws {
        XCTAssertEqual(try renderer.detail(for: ["train"]), """
            train — train the current model

            usage: train [epochs=N] [lr=X] [optimizer=sgd|adam|adamw] [layers=TENSOR,…] [teacher=VARIANT] [shuffle=on|off] [sparsities=X,…]

            arguments:
              epochs=N                passes over the training set
                                      allowed: 1…1000 · default: 5
              lr=X                    learning rate
                                      allowed: 0 ≤ x < 10 · default: 0.01
              optimizer=sgd|adam|adamw
                                      update rule
                                      allowed: sgd, adam, adamw · default: sgd
              layers=TENSOR,…         layers to train
              teacher=VARIANT         a variant
              shuffle=on|off          shuffle each epoch
                                      allowed: on, off · default: on
              sparsities=X,…          a list of numbers

            examples:
              train epochs=10 optimizer=adam
            """)
    }

    func testDetailOfSubcommandShowsPositionalsAndAliases() throws {
        XCTAssertEqual(try renderer.detail(for: ["model", "new"]), """
            model new — build a new model

            usage: model new ARCH [SIZES] [name=TEXT]

            arguments:
              ARCH       the kind of network
                         allowed: mlp, cnn
              SIZES      layer widths
                         default: 64-10
              name=TEXT  the new variant's name
                         default: model1, model2, …

            examples:
              model new mlp 64-64-10 name=baseline
            """)
        XCTAssertEqual(try renderer.detail(for: ["model", "select"]).split(separator: "\n", omittingEmptySubsequences: false)[3], "also:  select")
    }

    func testGroupDetailListsSubcommands() throws {
        XCTAssertEqual(try renderer.detail(for: ["model"]), """
            model — build and manage models

            usage: model new|use …

            sub-commands:
              model new  build a new model
              model use  make a variant current

            'help model new' explains one.
            """)
    }

    func testHelpOfUnknownCommandSuggests() {
        XCTAssertThrowsError(try renderer.detail(for: ["trian"])) { error in
            XCTAssertEqual("\(error)", "unknown command 'trian' — did you mean 'train'?")
        }
        XCTAssertThrowsError(try renderer.detail(for: ["model", "nwe"])) { error in
            XCTAssertEqual("\(error)", "unknown sub-command 'nwe' of 'model' — did you mean 'model new'?")
        }
    }

    func testStylingOnlyWhenEnabled() {
        let styled = HelpRenderer(registry: .sample, style: TextStyler(enabled: true)).overview()
        XCTAssertTrue(styled.contains("\u{1B}[1msession"))
        XCTAssertEqual(TextStyler.stripped(styled), renderer.overview())
        XCTAssertFalse(renderer.overview().contains("\u{1B}"))
    }

    func testFloatDefaultsPrintTheirShortestDecimal() throws {
        let standard = HelpRenderer(registry: .standard)
        for command in [["finetune"], ["prune", "magnitude"]] {
            let text = try standard.detail(for: command)
            XCTAssertTrue(text.contains("default: 0.001"), text)
            XCTAssertFalse(text.contains("0.00100000"), text)
        }
        XCTAssertEqual(NumberFormatting.shortest(float: 0.1), "0.1")
        XCTAssertEqual(NumberFormatting.shortest(float: 3), "3")
        XCTAssertEqual(Float(1e-7).argumentText, "1e-07")
    }

    func testTechniquesNameTheirSourceWithFromAndQuantizeHasASubcommand() throws {
        let standard = HelpRenderer(registry: .standard)
        for command in [["finetune"], ["prune", "magnitude"], ["prune", "structured"], ["prune", "sensitivity"],
                        ["quantize"], ["qat"]] {
            XCTAssertTrue(try standard.detail(for: command).contains("from=VARIANT"), command.joined(separator: " "))
        }
        let quantize = try standard.detail(for: ["quantize"])
        XCTAssertTrue(quantize.contains("sub-commands:"), quantize)
        XCTAssertTrue(quantize.contains("quantize conventions"), quantize)
        XCTAssertTrue(try standard.detail(for: ["quantize", "conventions"]).contains("usage: quantize conventions TENSOR [VARIANT]"))
        XCTAssertEqual(try CommandRegistry.standard.resolve([CommandWord(text: "quantize"), CommandWord(text: "bits=4", key: "bits", value: "4")]).name,
                       "quantize")
        XCTAssertEqual(try CommandRegistry.standard.resolve([CommandWord(text: "quantize"), CommandWord(text: "conventions"),
                                                             CommandWord(text: "fc1.weight")]).name, "quantize conventions")
    }
}

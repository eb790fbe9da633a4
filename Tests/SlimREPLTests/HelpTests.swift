import XCTest
@testable import SlimREPL

final class HelpTests: XCTestCase {
    let renderer = HelpRenderer(registry: .sample)

    func testOverviewGroupsByTopicInTopicOrder() {
        XCTAssertEqual(renderer.overview(), """
            Commands (type 'help COMMAND' for details):

            Data
              load        load data

            Models
              model new   build a new model
              model use   make a variant current (also: select)

            Training
              train       train the current model

            Compression
              steps       three steps

            Session
              help        list the commands, or explain one (also: ?)
              set         show or change the session settings
              history     list the command lines typed so far
              quit        leave SlimLab (also: exit)
            """)
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
        XCTAssertTrue(styled.contains("\u{1B}[1mSession\u{1B}[0m"))
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

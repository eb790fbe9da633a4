import XCTest
@testable import SlimREPL

final class ParserTests: XCTestCase {
    let registry = CommandRegistry.sample

    private func parse(_ line: String) throws -> any REPLCommand {
        try XCTUnwrap(try registry.parse(line)).command
    }

    private func assertError(_ line: String, _ message: String, file: StaticString = #filePath, line number: UInt = #line) {
        XCTAssertThrowsError(try registry.parse(line), file: file, line: number) { error in
            XCTAssertEqual("\(error)", message, file: file, line: number)
        }
    }

    func testDefaultsAndTypedValues() throws {
        let defaults = try XCTUnwrap(parse("train") as? SampleTrain)
        XCTAssertEqual(defaults.epochs, 5)
        XCTAssertEqual(defaults.rate, 0.01)
        XCTAssertEqual(defaults.optimizer, .sgd)
        XCTAssertNil(defaults.layers)
        XCTAssertTrue(defaults.shuffle)

        let given = try XCTUnwrap(parse("train optimizer=adam epochs=1_000 lr=.5 layers=fc1.weight,fc2.weight shuffle=no") as? SampleTrain)
        XCTAssertEqual(given.epochs, 1000)
        XCTAssertEqual(given.rate, 0.5)
        XCTAssertEqual(given.optimizer, .adam)
        XCTAssertEqual(given.layers, ["fc1.weight", "fc2.weight"])
        XCTAssertFalse(given.shuffle)
    }

    func testBlankAndCommentLinesParseToNothing() throws {
        XCTAssertNil(try registry.parse("   "))
        XCTAssertNil(try registry.parse("  # train epochs=0"))
    }

    func testSubcommandsPositionalsAndAliases() throws {
        let new = try XCTUnwrap(parse("model new cnn name='my net'") as? SampleModelNew)
        XCTAssertEqual(new.architecture, .cnn)
        XCTAssertEqual(new.sizes, "64-10", "optional positional takes its default")
        XCTAssertEqual(new.name, "my net")
        let resolved = try registry.resolve(try CommandLineTokenizer.words("model select int8"))
        XCTAssertEqual(resolved.name, "model use")
        XCTAssertEqual(try XCTUnwrap(registry.parse("? set")).name, "help")
        let load = try XCTUnwrap(parse("load digits a.csv b.csv") as? SampleLoad)
        XCTAssertEqual(load.files, ["a.csv", "b.csv"])
    }

    func testUnknownCommands() {
        assertError("hlep", "unknown command 'hlep' — did you mean 'help'?")
        assertError("trian", "unknown command 'trian' — did you mean 'train'?")
        assertError("exti", "unknown command 'exti' — did you mean 'exit'?")
        assertError("frobnicate", "unknown command 'frobnicate' — type 'help' for the list of commands")
        assertError("epochs=3", "unknown command 'epochs=3' — type 'help' for the list of commands")
    }

    func testSubcommandErrors() {
        assertError("model nwe mlp", "unknown sub-command 'nwe' of 'model' — did you mean 'model new'?")
        assertError("model zap", "unknown sub-command 'zap' of 'model' — allowed: new, use")
        assertError("model", "'model' needs a sub-command: new, use (see 'help model')")
    }

    func testOptionErrors() {
        assertError("train epoch=3", "unknown option 'epoch=' for 'train' — did you mean 'epochs='?")
        assertError("train speed=3", "unknown option 'speed=' for 'train' — allowed: epochs=, lr=, optimizer=, layers=, teacher=, shuffle=, sparsities=")
        assertError("quit now=1", "'quit' takes no options, got 'now='")
        assertError("train epochs=3 epochs=4", "'epochs=' given twice to 'train'")
        assertError("train epochs=", "'epochs=' needs a value after '='")
    }

    func testValueErrorsNameArgumentValueAndAllowed() {
        assertError("train epochs=ten", "epochs=ten is not a whole number (allowed: 1…1000)")
        assertError("train epochs=0", "epochs=0 is out of range (allowed: 1…1000)")
        assertError("train epochs=2.5", "epochs=2.5 is not a whole number (allowed: 1…1000)")
        assertError("train lr=10", "lr=10 is out of range (allowed: 0 ≤ x < 10)")
        assertError("train lr=nan", "lr=nan is not a number (allowed: 0 ≤ x < 10)")
        assertError("train optimizer=adma", "optimizer=adma is not one of sgd, adam, adamw — did you mean 'adam'?")
        assertError("train optimizer=rmsprop", "optimizer=rmsprop is not one of sgd, adam, adamw")
        assertError("train shuffle=maybe", "shuffle=maybe is not on or off")
        assertError("train sparsities=0.5,,0.9", "sparsities=0.5,,0.9 is not a comma-separated list of numbers")
        assertError(#"train optimizer="a b""#, #"optimizer="a b" is not one of sgd, adam, adamw"#)
        assertError("model new rnn", "ARCH 'rnn' is not one of mlp, cnn — did you mean 'cnn'?")
        assertError("model new gru", "ARCH 'gru' is not one of mlp, cnn")
        assertError("set seed=-1", "seed=-1 is not a whole number (allowed: ≥ 0)")
    }

    func testPositionalErrors() {
        assertError("model use", "'model use' needs VARIANT — usage: model use VARIANT")
        assertError("model new mlp 1-2 extra", "unexpected argument 'extra' for 'model new' — usage: model new ARCH [SIZES] [name=TEXT]")
        assertError("train epochs", "unexpected argument 'epochs' for 'train' — options are written epochs=VALUE")
        assertError("train epoch", "unexpected argument 'epoch' for 'train' — did you mean 'epochs=…'?")
        assertError("quit now", "unexpected argument 'now' for 'quit' — 'quit' takes no positional arguments")
        assertError(#"load "a.csv"#, "unterminated quote: \" opened and never closed")
    }

    func testEveryStandardCommandWordIsUnique() {
        let words = CommandRegistry.standard.commandWords
        XCTAssertEqual(words.count, Set(words).count)
        XCTAssertTrue(words.contains("help") && words.contains("exit"))
    }
}

import RGSLanguage
import RGSLibrary
import XCTest

/// Training that diverges stops with an error, and `let x = train ...` still binds the model with
/// the weights of its last good epoch, as Ctrl-C binds a partial result.
final class DivergedTrainingTests: XCTestCase {
    /// Runs `statements` one after another in one interpreter, as REPL lines: the output and each
    /// statement's error message (nil when it succeeded).
    private func session(_ statements: [String]) -> (output: String, errors: [String?]) {
        Interpreter.onLargeStack {
            var output = ""
            guard let rgs = try? Library.makeInterpreter(output: { output += $0 }) else { return ("", []) }
            let errors = statements.map { s -> String? in
                do throws(RGSError) {
                    _ = try rgs.run(s, file: "<test>")
                    return nil
                } catch {
                    return error.message
                }
            }
            return (output, errors)
        }
    }

    func testNetWhoseLossTurnsNaNIsBoundWithItsLastGoodEpoch() {
        let (output, errors) = session([
            "let d = ising(L: 8, beta: 0.44, samples: 100, seed: 1)",
            "let n = train ae(lr: 10, optimizer: sgd) on d epochs: 5 seed: 1",
            "print(n.partial, len(n.history.train), n.history.train[0] < 1e300)",
            "let m = 1",
            "m = train ae(lr: 10, optimizer: sgd) on d epochs: 5 seed: 1",
            "print(type(m), m.partial)",
            "let x = loss(train ae(lr: 10, optimizer: sgd) on d epochs: 5 seed: 1, d)",
            "print(x)",
            "fn f() { let inner = train ae(lr: 10, optimizer: sgd) on d epochs: 5 seed: 1\n return inner }",
            "for i in [1] { let looped = train ae(lr: 10, optimizer: sgd) on d epochs: 5 seed: 1 }",
            "let y = f()",
        ])
        XCTAssertEqual(errors[1], "training stopped: the loss became inf in epoch 2; `n` keeps the weights of epoch 1 (n.partial is true)")
        XCTAssertEqual(errors[4], "training stopped: the loss became inf in epoch 2; `m` keeps the weights of epoch 1 (m.partial is true)")
        // Bound only when the failing call is the whole right-hand side: x would not be a net.
        XCTAssertEqual(errors[6], "training stopped: the loss became inf in epoch 2")
        XCTAssertEqual(errors[7], "unknown name 'x'")
        // A variable of a function or loop would be gone with the error: the message claims nothing.
        XCTAssertEqual(errors[9], "training stopped: the loss became inf in epoch 2")
        XCTAssertEqual(errors[10], "training stopped: the loss became inf in epoch 2")
        XCTAssertEqual(output, "true 1 true\nNet true\n")
    }

    func testRBMThatDivergesIsBoundWithItsLastGoodEpoch() {
        let (output, errors) = session([
            "let d = ising(L: 9, beta: 0.4, samples: 200, seed: 1)",
            "let r0 = train rbm(hidden: 16) on d epochs: 2 seed: 1",
            "let r = train r0 on d epochs: 3 lr: 1e37 seed: 3",  // seeded: the default seed sequence depends on earlier tests
            "print(r.partial, r.epochs, weights(r) == weights(r0))",
            "let fresh = train rbm(hidden: 16, lr: 1e37) on d epochs: 3 seed: 1",
            "print(fresh.partial, fresh.epochs)",
            // Finite monitors (they stayed finite up to lr 1e30) no longer let such weights pass.
            "let big = train rbm(hidden: 16, lr: 1e6) on d epochs: 2 seed: 1",
            "print(big.partial, big.epochs)",
        ])
        // The size the weights reach depends on the CPU's rounding; the rest of the message does not.
        assertDiverged(errors[2], "", "in epoch 3; `r` keeps the weights of epoch 2 (r.partial is true)")
        assertDiverged(errors[4], "", "in epoch 1; `fresh` keeps its initial weights (fresh.partial is true)")
        assertDiverged(errors[6], "", "in epoch 1; `big` keeps its initial weights (big.partial is true)")
        XCTAssertEqual(output, "true 2 true\ntrue 0\ntrue 0\n")
    }

    /// `error` says that RBM training diverged with weights beyond 10,000, after `prefix`, ending in `end`.
    private func assertDiverged(_ error: String?, _ prefix: String, _ end: String, line: UInt = #line) {
        let text = error ?? ""
        XCTAssertTrue(text.hasPrefix(prefix + "RBM training diverged (a weight or bias reached "), text, line: line)
        XCTAssertTrue(text.contains(", beyond 10000: every unit's conditional is 0 or 1 whatever its inputs) "), text, line: line)
        XCTAssertTrue(text.hasSuffix(end), text, line: line)
    }

    /// A stack whose second layer diverges keeps its first layer and that layer's last good
    /// weights; training it again carries on from them and builds the unreached layer.
    func testStackThatDivergesKeepsItsTrainedLayers() {
        let (output, errors) = session([
            "let d = ising(L: 9, beta: 0.4, samples: 200, seed: 1)",
            "let s = train stack(rbm(hidden: 16), rbm(hidden: 16, lr: 1e38), rbm(hidden: 4)) on d epochs: 3 seed: 1",
            "print(s.partial, s.layers, s[0].epochs, s[1].epochs)",
            "let t = train s on d epochs: 1 lr: 0.01 seed: 2",
            "print(t.partial, t.layers, t[0].epochs, t[1].epochs, t[2].epochs)",
        ])
        assertDiverged(errors[1], "layer 2: ", "in epoch 1; `s` keeps layer 1 and layer 2 with its initial weights (s.partial is true)")
        XCTAssertEqual(output, "true 2 3 0\nfalse 3 4 1 1\n")
    }
}

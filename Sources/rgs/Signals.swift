import Glibc
import RGSNumerics

/// Ctrl-C handling: the first SIGINT asks the running primitive to stop (it keeps what finished
/// and the REPL returns to its prompt); a second one before the first was noticed exits (130).
enum Signals {
    static func install() {
        signal(SIGINT) { _ in
            if Cancellation.isRequested { _exit(130) }
            Cancellation.request()
        }
    }
}

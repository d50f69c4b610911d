import Foundation

/// Caveats about a result that has nowhere else to go, written to stderr as "note: ..." lines
/// (stdout keeps only what scripts print). A measurement of one group, for one, collapses its
/// table to a number and would otherwise drop the notes of the table's title.
public enum Notice {
    /// Writes each note on its own line.
    public static func write(_ notes: some Sequence<String>) {
        for note in notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
    }
}

/// A scope of variables; function calls and blocks chain to their enclosing scope.
public final class Environment {
    private var values: [String: Value] = [:]
    let parent: Environment?

    init(parent: Environment?) { self.parent = parent }

    func define(_ name: String, _ value: Value) { values[name] = value }

    func lookup(_ name: String) -> Value? {
        if let v = values[name] { return v }
        return parent?.lookup(name)
    }

    /// Assigns to the nearest scope that defines `name`; false if none does.
    func assign(_ name: String, _ value: Value) -> Bool {
        if values[name] != nil {
            values[name] = value
            return true
        }
        return parent?.assign(name, value) ?? false
    }

    /// Every name visible from here (for completion and suggestions).
    var allNames: Set<String> {
        var names = parent?.allNames ?? []
        names.formUnion(values.keys)
        return names
    }

    /// Variables of this scope only, sorted (for `:vars`).
    var localBindings: [(String, Value)] { values.sorted { $0.key < $1.key } }
}

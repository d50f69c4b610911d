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

    /// Appends `element` to the list bound to `name` in the nearest scope that defines it, in
    /// place: O(1) amortised when nothing else holds the list. False if `name` is not a list.
    func appendToList(_ name: String, _ element: Value) -> Bool {
        guard values[name] != nil else { return parent?.appendToList(name, element) ?? false }
        guard var slot = values.updateValue(.nothing, forKey: name), case .list(var items) = slot else { return false }
        slot = .nothing  // releases the slot's reference, so that `items` is the only one
        items.append(element)
        values[name] = .list(items)
        return true
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

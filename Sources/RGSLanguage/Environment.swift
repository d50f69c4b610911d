#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scope of variables; function calls and blocks chain to their enclosing scope.
///
/// A call or block scope holds a handful of names, so its bindings live in two small arrays
/// searched in order (short names compare as two machine words); a scope that grows past
/// `indexedAbove` names (the globals, with every builtin) also keeps a dictionary from name to
/// slot. Hashing a name on every lookup and a fresh dictionary per call took a fifth of the
/// time of a recursive function. No access to the storage calls out while it is in progress, so
/// the runtime's exclusivity checks (6% of that time) are off for it. `fib(27)` written in rgs:
/// 1.07-1.10 s before, 0.94-0.95 s after.
public final class Environment {
    @exclusivity(unchecked) private var names: [String] = []
    @exclusivity(unchecked) private var slots: [Value] = []
    @exclusivity(unchecked) private var index: [String: Int]?
    let parent: Environment?

    private static let indexedAbove = 8

    init(parent: Environment?) { self.parent = parent }

    /// A chain of closures, each capturing the scope that holds the one before (`r = mk(r)` in a
    /// loop, with `fn mk(x) = fn() = x`), would be freed by recursion one level per closure (a
    /// million of them overflowed the stack): a scope holding functions or containers hands its
    /// values to `ScopeRelease`, which frees the scopes they reach in a loop.
    deinit {
        guard slots.contains(where: \.mayHoldScopes) else { return }
        var values: [Value] = []
        swap(&values, &slots)
        ScopeRelease.current.release(consume values)
    }

    /// The slot of `name` in this scope only.
    private func slot(_ name: String) -> Int? {
        if let index { return index[name] }
        return names.firstIndex(of: name)
    }

    func define(_ name: String, _ value: Value) {
        if let i = slot(name) {
            slots[i] = value
            return
        }
        names.append(name)
        slots.append(value)
        if index != nil {
            index?[name] = names.count - 1
        } else if names.count > Environment.indexedAbove {
            index = Dictionary(uniqueKeysWithValues: zip(names, names.indices))
        }
    }

    func lookup(_ name: String) -> Value? {
        if let i = slot(name) { return slots[i] }
        return parent?.lookup(name)
    }

    /// Assigns to the nearest scope that defines `name`; false if none does.
    func assign(_ name: String, _ value: Value) -> Bool {
        if let i = slot(name) {
            slots[i] = value
            return true
        }
        return parent?.assign(name, value) ?? false
    }

    /// Appends `element` to the list bound to `name` in the nearest scope that defines it, in
    /// place: O(1) amortised when nothing else holds the list. False if `name` is not a list.
    func appendToList(_ name: String, _ element: Value) -> Bool {
        guard let i = slot(name) else { return parent?.appendToList(name, element) ?? false }
        guard case .list = slots[i] else { return false }
        // Moved out of the slot, so that `items` is the only reference to the list's storage.
        var slot = Value.nothing
        swap(&slot, &slots[i])
        guard case .list(var items) = slot else { return false }
        slot = .nothing
        items.append(element)
        slots[i] = .list(items)
        return true
    }

    /// Every name visible from here (for completion and suggestions).
    var allNames: Set<String> {
        var all = parent?.allNames ?? []
        all.formUnion(names)
        return all
    }

    /// Variables of this scope only, sorted (for `:vars`).
    var localBindings: [(String, Value)] { zip(names, slots).sorted { $0.0 < $1.0 } }
}

/// Frees the values of dying scopes in a loop instead of by recursion, one instance per thread:
/// a scope freed while the loop runs only queues its values.
private final class ScopeRelease {
    private var pending: [[Value]] = []
    private var draining = false

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key) { pointer in
            guard let pointer else { return }
            Unmanaged<ScopeRelease>.fromOpaque(pointer).release()
        }
        return key
    }()

    /// This thread's instance.
    static var current: ScopeRelease {
        if let pointer = pthread_getspecific(key) { return Unmanaged<ScopeRelease>.fromOpaque(pointer).takeUnretainedValue() }
        let instance = ScopeRelease()
        pthread_setspecific(key, Unmanaged.passRetained(instance).toOpaque())
        return instance
    }

    func release(_ values: consuming [Value]) {
        pending.append(values)
        guard !draining else { return }
        draining = true
        while var next = pending.popLast() {
            next.removeAll()  // scopes freed here queue their values instead of recursing
        }
        draining = false
    }
}

private extension Value {
    /// Whether freeing this value can free a scope: a function (its closure) or a container.
    var mayHoldScopes: Bool {
        switch self {
        case .function, .list, .record: true
        default: false
        }
    }
}

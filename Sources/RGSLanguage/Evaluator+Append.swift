/// `xs = append(xs, v)` in place. Lists are values, so the builtin copies the list on every call
/// and a loop that collects n results costs O(n^2) (20,000 appends took 1.7 s); this statement
/// form appends to the variable's own list instead, with the same result.
extension Interpreter {
    /// True if the assignment was `name = append(name, value)` with the builtin `append` and a
    /// list in `name`, now done; false (nothing evaluated) for every other assignment.
    func appendInPlace(_ target: AssignTarget, _ e: Expr, in env: Environment) throws(RGSError) -> Bool {
        guard target.path.isEmpty, case .call(.name("append", _), let args, _) = e, args.count == 2,
              args[0].label ?? "items" == "items", args[1].label ?? "value" == "value",
              case .name(let source, _) = args[0].value, source == target.name,
              case .function(let f)? = env.lookup("append"), f.builtin?.name == "append" else { return false }
        // Held while the value is evaluated, which may reassign the variable (a function call).
        var before = env.lookup(target.name)
        guard let identity = before.flatMap(ListIdentity.init) else { return false }
        let value = try evaluate(args[1].value, in: env)
        if value.nesting >= Value.maximumNesting { throw RGSError(.runtime, Value.nestingMessage, at: args[1].value.span) }
        if env.lookup(target.name).flatMap(ListIdentity.init) == identity {
            before = nil
            return env.appendToList(target.name, value)
        }
        guard case .list(let items)? = before else { return false }
        try assign(target, .list(items + [value]), in: env)
        return true
    }
}

/// Which list storage a value holds, to tell whether a variable still holds the same list.
private struct ListIdentity: Equatable {
    let address: UnsafeRawPointer?
    let count: Int

    init?(_ value: Value) {
        guard case .list(let items) = value else { return nil }
        address = storageAddress(items)
        count = items.count
    }
}

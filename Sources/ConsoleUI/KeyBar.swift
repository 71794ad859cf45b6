import ECRProtocol

extension CellGrid {
    /// A key bar set into the bottom border: each binding's first key and its label, from x = 1.
    /// Returns the cells used.
    @discardableResult
    mutating func keyBar(_ bindings: [KeyBinding], y: Int, language: Language) -> Int {
        var x = 1
        for (index, binding) in bindings.enumerated() {
            if index > 0 { x += put(" ", x: x, y: y, role: .keybar) }
            x += put(binding.keys[0].name, x: x, y: y, role: .key)
            x += put(" " + binding.label.text(in: language), x: x, y: y, role: .keybar)
        }
        return x - 1
    }
}

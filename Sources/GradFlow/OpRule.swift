/// Everything gradflow knows about one op, stated once (the table is ``Op/rule``).
///
/// The engine records with ``evaluate``; `grad(y, x)` builds ``symbolicPartial`` as nodes; the
/// scene language calls the op by ``sceneNames``; traces, the stepper and pictures write
/// ``formula`` and ``partialFormula`` and draw ``symbol``; `check` asks ``kink`` where the op is
/// not differentiable. Nothing outside the table switches over ops.
public struct OpRule: Sendable {
    /// The value and the local partials ∂value/∂a, ∂value/∂b of the op at operands `a`, `b` with
    /// constant parameter `c` (`b` and `c` are 0 where the op has none; `db` is 0 for unary ops).
    public typealias Evaluate = @Sendable (_ a: Double, _ b: Double, _ c: Double) -> (value: Double, da: Double, db: Double)

    /// Operands: 0 for leaves, 1 or 2, nil for the variadic `sum` and `mean`.
    public let arity: Int?
    /// Whether the op carries one plain number, the node's ``Graph/parameters`` entry (the `2` of
    /// `x^2`): a literal that is part of the op, with no adjoint and no row of its own.
    public let hasParameter: Bool
    /// The names a scene calls it by, the first being its own (`ln`, then `log`); empty for ops
    /// written with an operator.
    public let sceneNames: [String]
    /// The operands' roles, for diagnostics: `["base", "exponent"]`; empty when they have none.
    public let operandRoles: [String]
    /// The op in pictures: `×`, `+`, `tanh`.
    public let symbol: String
    /// The op with its constant in pictures (`^2`, `+ 3`, `× 0.5`); nil: ``symbol`` alone.
    public let caption: (@Sendable (_ parameter: Double, _ format: NumberFormat) -> String)?
    /// Value and local partials, computed in the forward pass and recorded with the node (for
    /// the scalar ops, ``Op/evaluate(_:_:parameter:)``, which recording calls directly).
    public let evaluate: Evaluate
    /// The node in terms of its operands (`x1 · x2`, `y^2`); nil: function notation `name(a, b)`.
    public let formula: (@Sendable (Formula) -> String)?
    /// ∂node/∂operand `index` in terms of the nodes, as a teacher writes it: `1 − o^2`.
    public let partialFormula: @Sendable (_ formula: Formula, _ index: Int) -> String
    /// ∂node/∂operand built as nodes, for derivatives of derivatives; nil: the recorded partial
    /// is a constant of the op (piecewise-constant partials: `+`, `relu`, `max`, …).
    public let symbolicPartial: (@Sendable (_ graph: inout Graph, _ partial: SymbolicPartial) -> Term)?
    /// A quantity of the operands that is 0 exactly where the op is not differentiable (`a` for
    /// `relu` and `abs`, `a − b` for `max` and `min`); nil for ops differentiable everywhere.
    public let kink: (@Sendable (_ a: Double, _ b: Double) -> Double)?
    /// Whether the op stops the gradient on purpose (`detach`): its partials are 0 though its
    /// value depends on its operand. Views draw its incoming edges as a barrier, and `check`
    /// expects finite differences, which see through it, to disagree.
    public let stopsGradient: Bool

    public init(
        arity: Int?, hasParameter: Bool = false, sceneNames: [String] = [], operandRoles: [String] = [],
        symbol: String? = nil, caption: (@Sendable (Double, NumberFormat) -> String)? = nil,
        evaluate: @escaping Evaluate, formula: (@Sendable (Formula) -> String)? = nil,
        partialFormula: @escaping @Sendable (Formula, Int) -> String,
        symbolicPartial: (@Sendable (inout Graph, SymbolicPartial) -> Term)? = nil,
        kink: (@Sendable (Double, Double) -> Double)? = nil, stopsGradient: Bool = false
    ) {
        (self.arity, self.hasParameter, self.sceneNames, self.operandRoles, self.symbol, self.caption)
            = (arity, hasParameter, sceneNames, operandRoles, symbol ?? sceneNames.first ?? "?", caption)
        (self.evaluate, self.formula, self.partialFormula, self.symbolicPartial, self.kink, self.stopsGradient)
            = (evaluate, formula, partialFormula, symbolicPartial, kink, stopsGradient)
    }

    /// The names a rule's formulas are written with.
    public struct Formula: Sendable {
        /// The operands' names, in order.
        public let operands: [String]
        /// The node's own name (`o` in `1 − o^2`).
        public let node: String
        /// The op's constant parameter, and the same written as text.
        public let parameter: Double
        public let constant: String
        public let format: NumberFormat

        public init(operands: [String], node: String, parameter: Double, format: NumberFormat) {
            self.operands = operands
            self.node = node
            self.parameter = parameter
            self.constant = format.string(parameter)
            self.format = format
        }

        /// The first operand's name.
        public var a: String { operands[0] }
        /// The second operand's name ("" for unary ops).
        public var b: String { operands.count > 1 ? operands[1] : "" }
    }

    /// What a rule's ``symbolicPartial`` builds from: the node, its operands and which one.
    public struct SymbolicPartial: Sendable {
        public let node: NodeID
        public let operands: [NodeID]
        /// Which operand the partial is taken with respect to (0 for the first).
        public let index: Int
        public let parameter: Double
        /// The partial the engine recorded in the forward pass, as a term.
        public let recorded: Term

        /// The first operand.
        public var a: NodeID { operands[0] }
        /// The second operand.
        public var b: NodeID { operands[1] }
    }
}

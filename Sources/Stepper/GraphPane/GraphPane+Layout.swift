import GraphExport

/// The layout a frame was drawn in, and everything besides the step that chose it.
struct ShownLayout {
    var choice: LayoutChoice
    /// Folds, number format, mode, characters (a ``PlacementKey`` without window or style).
    var context: PlacementKey
    var pane: Rect
    var nodes: Int
    /// The zoom the user asked for (nil: the most detailed that fits).
    var zoom: Zoom?
}

extension GraphPane {
    /// The layout of the frame before, if it still shows the step whole (``showsTheStep``):
    /// a layout is chosen afresh only where it must be. Chosen afresh at every step, the whole
    /// graph switched to another style, or to a window, for one step whose operands lie far
    /// apart, and back at the next (mlp-relu-sgd-two-steps at 120×40, steps 39 and 40).
    ///
    /// Not when anything else that shapes the layout changed (folds, the pane, the zoom asked
    /// for, the number format), nor when the step left the window: then the chunk of the step
    /// is laid out, as a large graph's always is.
    func keptLayout(_ model: StepperModel, state: StepState, items: FoldedItems, focusItem: Int?, pane: Rect)
        -> (chunk: Int?, chunkSize: Int, drawing: PlacedGraph)?
    {
        guard let shown, shown.context == layoutContext(model, items: items), shown.pane == pane,
              shown.nodes == model.graph.count, shown.zoom == model.camera.zoom else { return nil }
        guard let drawing = drawing(in: shown.choice, showing: model, state: state, items: items, focusItem: focusItem, pane: pane)
        else { return nil }
        return (shown.choice.chunk, shown.choice.chunkSize, drawing)
    }

    /// The drawing of `choice` (a layout of `items`) if it shows the model's step whole; nil
    /// if not, or if the step lies outside its window.
    func drawing(in choice: LayoutChoice, showing model: StepperModel, state: StepState, items: FoldedItems,
                 focusItem: Int?, pane: Rect) -> PlacedGraph? {
        if let chunk = choice.chunk {
            guard let focusItem, focusItem / choice.chunkSize == chunk else { return nil }
        }
        let drawing = placement(model, state: state, items: items, chunk: choice.chunk, chunkSize: choice.chunkSize,
                                stepItems: choice.chunk.map { windowStepItems(model, items: items, chunk: $0, chunkSize: choice.chunkSize) } ?? [],
                                style: choice.style)
        // A window is laid out anew with the step's own items added (the far operands of this
        // step, not of the one before); kept only where every edge can still be followed, as
        // a narrowed window is chosen (tanh-derivatives at 80×24, step 128: an arrow astray).
        guard choice.chunk == nil || drawing.isClean else { return nil }
        return showsTheStep(drawing, model: model, items: items, pane: pane) ? drawing : nil
    }

    /// Whether the layout `choice` of the frame drawn last would show the model's step whole
    /// (tests check that the layout changes only where it must).
    func wouldShow(_ choice: LayoutChoice, model: StepperModel, pane: Rect) -> Bool {
        guard let items, items.folded.sorted() == choice.folded, items.opening.sorted() == choice.opening else { return false }
        return drawing(in: choice, showing: model, state: StepState(model: model), items: items,
                       focusItem: model.focusNode.map(items.index(of:)), pane: pane) != nil
    }

    /// Notes the layout a frame is drawn in, for ``keptLayout`` at the next one.
    func remember(_ choice: LayoutChoice, model: StepperModel, items: FoldedItems, pane: Rect) {
        shown = ShownLayout(choice: choice, context: layoutContext(model, items: items), pane: pane,
                            nodes: model.graph.count, zoom: model.camera.zoom)
    }

    private func layoutContext(_ model: StepperModel, items: FoldedItems) -> PlacementKey {
        placementKey(model, items: items, chunk: nil, chunkSize: 0, stepItems: [], style: LayoutStyle(zoom: .name))
    }

    /// The layout for the step chosen afresh: the most detailed style of the whole graph (or of
    /// the window around the step, for a large one) that fits the pane and shows the step.
    func chosenLayout(_ model: StepperModel, state: StepState, items: FoldedItems, focusItem: Int?, pane rect: Rect)
        -> (chunk: Int?, chunkSize: Int, drawing: PlacedGraph)
    {
        var chunkSize = GraphWindow.chunkSize(forPaneColumns: rect.width, rows: rect.height)
        var chunk = GraphWindow.chunk(of: focusItem, itemCount: items.count, chunkSize: chunkSize)
        // The placement of the window `chunk` (nil: the whole graph), with the step's nodes
        // outside it added.
        func placement(chunk: Int?, size: Int) -> PlacedGraph {
            fittingPlacement(model, state: state, items: items, chunk: chunk, chunkSize: size,
                             stepItems: chunk.map { windowStepItems(model, items: items, chunk: $0, chunkSize: size) } ?? [],
                             pane: rect)
        }
        var drawing = placement(chunk: chunk, size: chunkSize)
        // A whole graph in which every layout puts the step's two ends further apart than the
        // pane (an SGD update w₂ = w − lr·g written out: w stands at the start of the graph, w₂
        // at the end) is shown, for that step, as a large graph is: the window around the step,
        // with the far operand drawn beside its consumer. Not for a graph too dense to draw all
        // its edges (61 nodes, each the sum of all before): each step would be a new layout.
        if chunk == nil, let focusItem, drawing.window.omittedEdges == 0,
           !showsTheStep(drawing, model: model, items: items, pane: rect) {
            chunk = focusItem / chunkSize
            drawing = placement(chunk: chunk, size: chunkSize)
        }
        // A window in which the step does not fit the pane (at 80×24 the pane has 8 rows for a
        // window of 10 nodes) is narrowed to the step's neighbourhood for that step:
        // `t101 = t79 · t58` with t79 off screen shows half a product; a sum of 17 operands,
        // stacked above its bias, put the step b̄ += z̄ · 1 out of view.
        if chunk != nil, let focusItem, model.inspected == nil, model.currentStep != nil,
           !showsTheStep(drawing, model: model, items: items, pane: rect) {
            for narrowSize in [max(2, chunkSize / 3), 1] {
                let narrowChunk = focusItem / narrowSize
                let narrowed = placement(chunk: narrowChunk, size: narrowSize)
                if narrowed.isClean, showsTheStep(narrowed, model: model, items: items, pane: rect) {
                    (chunk, chunkSize, drawing) = (narrowChunk, narrowSize, narrowed)
                    break
                }
            }
        }
        return (chunk, chunkSize, drawing)
    }
}

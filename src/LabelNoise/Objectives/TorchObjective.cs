using System.Numerics;
using System.Runtime.InteropServices;
using LabelNoise.Curvature;
using LabelNoise.Data;
using LabelNoise.Losses;
using LabelNoise.Models;
using TorchSharp;
using static TorchSharp.torch;
using LabelNoise.Native;

namespace LabelNoise.Objectives;

/// <summary>
/// L(θ) of a TorchSharp module on an evaluation set, in evaluation mode, summed over chunks of the
/// set so that memory stays bounded. Classification: cross entropy (smoothed at the flip
/// probability, minus its minimum); regression: ½(f − y)². Hessian-vector products are double
/// backward; the gradient graphs of up to <see cref="MaxCachedChunks"/> chunks are kept and reused
/// by every product at the same point (one backward per product instead of two). A ReLU
/// <see cref="Mlp"/> takes the written-out product instead (<see cref="MlpHessianOperator"/>).
/// </summary>
public sealed class TorchObjective : IObjective
{
    public const int MaxCachedChunks = 8;
    readonly nn.Module<Tensor, Tensor> model;
    readonly Dataset data;
    readonly TorchSharp.Modules.Parameter[] parameters;
    readonly Tensor features;
    readonly Tensor? labels, targets;
    readonly int chunkSize;
    readonly List<IDisposable> operators = new();
    readonly bool wasTraining;

    public TorchObjective(nn.Module<Tensor, Tensor> model, Dataset data, double flipProbability = 0, int chunkSize = 1024)
    {
        if (data.Count == 0) throw new SettingException($"{data.Name} is empty");
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "the chunk size must be ≥ 1");
        this.model = model;
        this.data = data;
        this.chunkSize = chunkSize;
        FlipProbability = flipProbability;
        GradientCheck = GradientSelfCheck.Ensure(model, data);
        var named = model.named_parameters().ToArray();
        parameters = named.Select(p => p.parameter).ToArray();
        DType = parameters[0].dtype;
        int offset = 0;
        var blocks = new List<ParameterBlock>();
        foreach (var (name, p) in named)
        {
            blocks.Add(new ParameterBlock(name, offset, (int)p.numel()));
            offset += (int)p.numel();
        }
        Blocks = blocks;
        Dimension = offset;
        using (var scope = NewDisposeScope())
        {
            features = DataTensors.Features(data, DType).MoveToOuterDisposeScope();
            if (data is ClassificationDataset cd) labels = DataTensors.Labels(cd).MoveToOuterDisposeScope();
            if (data is RegressionDataset rd) targets = tensor(rd.Targets).to_type(DType).MoveToOuterDisposeScope();
        }
        wasTraining = model.training;
        model.eval();
    }

    public nn.Module<Tensor, Tensor> Model => model;
    public double FlipProbability { get; }

    /// <summary>What the gradient self-check found for this model; a float32 model may have been switched to float64.</summary>
    public GradientCheck GradientCheck { get; }
    public ScalarType DType { get; }
    public int Dimension { get; }
    public int ExampleCount => data.Count;
    public IReadOnlyList<ParameterBlock> Blocks { get; }
    internal int ChunkCount => (data.Count + chunkSize - 1) / chunkSize;
    internal bool IsClassification => labels is not null;
    internal IReadOnlyList<Tensor> ParameterTensors => parameters;

    /// <summary>Chunk c of the features: the rows [start, start + length).</summary>
    internal (Tensor Features, int Start, int Length) ChunkFeatures(int chunk)
    {
        int start = chunk * chunkSize, length = Math.Min(chunkSize, data.Count - start);
        return (features.narrow(0, start, length), start, length);
    }

    public double[] GetParameters() => FlatParameters.Read(parameters);

    public void SetParameters(ReadOnlySpan<double> values)
    {
        ReleaseOperators();
        FlatParameters.Write(parameters, values);
    }

    /// <summary>Sum over a chunk of the per-example loss, divided by n (so chunk sums add up to L + its minimum).</summary>
    Tensor ChunkLoss(int chunk)
    {
        var (chunkFeatures, start, length) = ChunkFeatures(chunk);
        return OutputLoss(model.forward(chunkFeatures), start, length);
    }

    /// <summary>The loss of the model's outputs for the examples [start, start + length), divided by n.</summary>
    internal Tensor OutputLoss(Tensor output, int start, int length)
    {
        var sum = labels is not null
            ? CrossEntropy.SmoothedSum(output, labels.narrow(0, start, length), FlipProbability)
            : SquaredError.Sum(output.reshape(-1), targets!.narrow(0, start, length));
        using var count = KeptScalar.Of(data.Count);
        return sum.div(count);
    }

    double Minimum => data is ClassificationDataset c ? CrossEntropy.SmoothedMinimum(FlipProbability, c.ClassCount) : 0;

    public double Loss()
    {
        double total = 0;
        using var noGrad = no_grad();
        for (int c = 0; c < ChunkCount; c++)
        {
            using var scope = NewDisposeScope();
            total += ChunkLoss(c).ToDouble();
        }
        return total - Minimum;
    }

    public double[] Gradient()
    {
        var total = GC.AllocateUninitializedArray<double>(Dimension); // the first chunk writes every entry
        for (int c = 0; c < ChunkCount; c++)
        {
            using var scope = NewDisposeScope();
            var grads = autograd.grad([ChunkLoss(c)], parameters, allow_unused: true);
            Accumulate(grads, total, assign: c == 0);
        }
        return total;
    }

    /// <summary>∇²L at the current point: written out for a ReLU <see cref="Mlp"/> (<see cref="MlpHessianOperator"/>), double backward otherwise.</summary>
    public ILinearOperator Hessian() => MlpHessianOperator.TryCreate(this) is { } written ? Track(written) : AutogradHessian();

    /// <summary>∇²L at the current point by double backward through the kept gradient graph, for any model (the reference the written-out MLP product is tested against).</summary>
    public ILinearOperator AutogradHessian() => Track(new HessianOperator(this));

    public ILinearOperator GaussNewton() => Track(new GaussNewtonOperator(this));

    /// <summary>Exact for a ReLU <see cref="Mlp"/> (<see cref="MlpGaussNewtonTrace"/>); null for other models.</summary>
    public ExactTrace? ExactHessianTrace() => MlpGaussNewtonTrace.TryCompute(this);

    public double[] HessianTraceGradient(double[,] m)
    {
        int p = Dimension;
        if (m.GetLength(0) != p || m.GetLength(1) != p) throw new ArgumentException($"M must be {p}×{p}, not {m.GetLength(0)}×{m.GetLength(1)}", nameof(m));
        // M = Σ sⱼ vⱼvⱼᵀ, so ∇ tr(M∇²L) = Σ sⱼ ∇(vⱼᵀ∇²L vⱼ): one triple backward per eigenvector.
        double[] values;
        double[,] vectors;
        using (var scope = NewDisposeScope())
        {
            var (w, v) = linalg.eigh(tensor(m, dtype: ScalarType.Float64));
            values = w.data<double>().ToArray();
            vectors = new double[p, p];
            var flat = v.contiguous().data<double>().ToArray();
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++) vectors[a, b] = flat[a * p + b];
        }
        double scale = values.Max(Math.Abs);
        var total = new double[p];
        for (int j = 0; j < p; j++)
        {
            if (Math.Abs(values[j]) <= 1e-15 * scale) continue;
            var v = new double[p];
            for (int a = 0; a < p; a++) v[a] = vectors[a, j];
            var part = QuadraticFormGradient(v);
            for (int k = 0; k < p; k++) total[k] += values[j] * part[k];
        }
        return total;
    }

    /// <summary>∇θ(vᵀ∇²L(θ)v), by a third backward pass.</summary>
    public double[] QuadraticFormGradient(ReadOnlySpan<double> v)
    {
        var total = new double[Dimension];
        var direction = Split(v);
        try
        {
            for (int c = 0; c < ChunkCount; c++)
            {
                using var scope = NewDisposeScope();
                var grads = autograd.grad([ChunkLoss(c)], parameters, create_graph: true, retain_graph: true, allow_unused: true);
                var hvp = autograd.grad([Dot(grads, direction)], parameters, create_graph: true, retain_graph: true, allow_unused: true);
                var third = autograd.grad([Dot(hvp, direction)], parameters, allow_unused: true);
                Accumulate(third, total);
            }
        }
        finally { foreach (var d in direction) d.Dispose(); }
        return total;
    }

    static Tensor Dot(IList<Tensor> a, IList<Tensor> b)
    {
        Tensor? sum = null;
        for (int k = 0; k < a.Count; k++)
        {
            if (a[k] is null) continue;
            var term = (a[k] * b[k]).sum();
            sum = sum is null ? term : KeptScalar.Plus(sum, term);
        }
        return sum ?? throw new InvalidOperationException("no parameter takes part in the loss");
    }

    /// <summary>A flat vector as parameter-shaped tensors in the model's dtype.</summary>
    Tensor[] Split(ReadOnlySpan<double> flat)
    {
        if (flat.Length != Dimension) throw new ArgumentException($"vector has {flat.Length} entries, the model {Dimension} parameters");
        var result = parameters.Select(p => empty(p.shape, dtype: DType)).ToArray();
        Fill(result, flat);
        return result;
    }

    /// <summary>Copies a flat vector into parameter-shaped tensors (contiguous, CPU) through their memory, converting to their dtype.</summary>
    internal static void Fill(Tensor[] tensors, ReadOnlySpan<double> flat)
    {
        int offset = 0;
        foreach (var t in tensors)
        {
            int n = (int)t.numel();
            var source = flat.Slice(offset, n);
            if (t.dtype == ScalarType.Float32) Narrow(source, MemoryMarshal.Cast<byte, float>(t.bytes));
            else if (t.dtype == ScalarType.Float64) source.CopyTo(MemoryMarshal.Cast<byte, double>(t.bytes));
            else
            {
                using var scope = NewDisposeScope();
                t.copy_(tensor(source.ToArray()).to_type(t.dtype).reshape(t.shape));
            }
            offset += n;
        }
    }

    /// <summary>
    /// Adds the tensors (null: zero), flattened in order, to <paramref name="total"/> — or, with <paramref name="assign"/>,
    /// writes them there (one pass fewer for the first chunk) — reading float32/float64 memory in place.
    /// </summary>
    void Accumulate(IList<Tensor> tensors, Span<double> total, bool assign = false)
    {
        int offset = 0;
        for (int k = 0; k < tensors.Count; k++)
        {
            int n = (int)parameters[k].numel();
            var t = tensors[k];
            if (t is not null) AddTo(t, total.Slice(offset, n), assign);
            else if (assign) total.Slice(offset, n).Clear();
            offset += n;
        }
    }

    internal static void AddTo(Tensor t, Span<double> total, bool assign)
    {
        using var scope = NewDisposeScope();
        var dense = t.is_contiguous() ? t : t.contiguous();
        if (dense.dtype == ScalarType.Float32) AddWidened(MemoryMarshal.Cast<byte, float>(dense.bytes), total, assign);
        else
        {
            var values = dense.dtype == ScalarType.Float64 ? dense : dense.to_type(ScalarType.Float64);
            var doubles = MemoryMarshal.Cast<byte, double>(values.bytes);
            if (assign) doubles.CopyTo(total);
            else Vectors.AddScaled(total, 1, doubles);
        }
    }

    /// <summary>target = (float)source, SIMD.</summary>
    static void Narrow(ReadOnlySpan<double> source, Span<float> target)
    {
        int i = 0, width = Vector<double>.Count;
        for (; i <= source.Length - 2 * width; i += 2 * width)
            Vector.Narrow(new Vector<double>(source[i..]), new Vector<double>(source[(i + width)..])).CopyTo(target[i..]);
        for (; i < source.Length; i++) target[i] = (float)source[i];
    }

    /// <summary>total += values, or total = values with <paramref name="assign"/> (float to double), SIMD.</summary>
    static void AddWidened(ReadOnlySpan<float> values, Span<double> total, bool assign)
    {
        int i = 0, width = Vector<float>.Count, half = Vector<double>.Count;
        for (; i <= values.Length - width; i += width)
        {
            Vector.Widen(new Vector<float>(values[i..]), out var low, out var high);
            if (assign)
            {
                low.CopyTo(total[i..]);
                high.CopyTo(total[(i + half)..]);
            }
            else
            {
                (new Vector<double>(total[i..]) + low).CopyTo(total[i..]);
                (new Vector<double>(total[(i + half)..]) + high).CopyTo(total[(i + half)..]);
            }
        }
        for (; i < values.Length; i++) total[i] = assign ? values[i] : total[i] + values[i];
    }

    T Track<T>(T op) where T : IDisposable
    {
        operators.Add(op);
        return op;
    }

    void ReleaseOperators()
    {
        foreach (var op in operators) op.Dispose();
        operators.Clear();
    }

    public void Dispose()
    {
        ReleaseOperators();
        features.Dispose();
        labels?.Dispose();
        targets?.Dispose();
        if (wasTraining) model.train();
    }

    /// <summary>An operator that sums per-chunk products: checks the vectors, splits v into parameter shapes, accumulates.</summary>
    /// <remarks>v goes into parameter-shaped tensors made once per operator and refilled for every product.</remarks>
    abstract class ChunkedOperator(TorchObjective owner) : ILinearOperator, IDisposable
    {
        Tensor[]? direction;
        protected TorchObjective Owner { get; } = owner;
        public int Dimension => Owner.Dimension;

        public void Apply(ReadOnlySpan<double> v, Span<double> result)
        {
            if (v.Length != Dimension || result.Length != Dimension) throw new ArgumentException($"vectors must have {Dimension} entries");
            if (direction is null) direction = Owner.Split(v);
            else Fill(direction, v);
            for (int c = 0; c < Owner.ChunkCount; c++) ApplyChunk(c, direction, result, assign: c == 0);
        }

        /// <summary>Adds chunk c's product to <paramref name="result"/>, or writes it there with <paramref name="assign"/> (the first chunk).</summary>
        protected abstract void ApplyChunk(int chunk, Tensor[] direction, Span<double> result, bool assign);

        public virtual void Dispose()
        {
            foreach (var d in direction ?? []) d.Dispose();
            direction = null;
        }
    }

    /// <summary>∇²L·v by double backward, with the chunks' gradient graphs kept while there are few of them.</summary>
    sealed class HessianOperator : ChunkedOperator
    {
        readonly ChunkStates<IList<Tensor>> graphs;

        public HessianOperator(TorchObjective owner) : base(owner) => graphs = new(owner, Graph, Release);

        protected override void ApplyChunk(int c, Tensor[] direction, Span<double> result, bool assign)
        {
            var grads = graphs.Get(c);
            try
            {
                using var step = NewDisposeScope();
                // PyTorch's Hessian-vector product: the vector-Jacobian product of the gradient with v.
                var used = Enumerable.Range(0, grads.Count).Where(k => grads[k] is not null).ToArray();
                var hvp = autograd.grad(used.Select(k => grads[k]).ToArray(), Owner.parameters, grad_outputs: used.Select(k => direction[k]).ToArray(),
                    retain_graph: graphs.Keep, allow_unused: true);
                Owner.Accumulate(hvp, result, assign);
            }
            finally { graphs.Done(grads); }
        }

        /// <summary>The gradient of chunk c's loss with its graph (create_graph and retain_graph, both needed in TorchSharp).</summary>
        IList<Tensor> Graph(int c)
        {
            using var scope = NewDisposeScope();
            var grads = autograd.grad([Owner.ChunkLoss(c)], Owner.parameters, create_graph: true, retain_graph: true, allow_unused: true);
            foreach (var g in grads) g?.DetachFromDisposeScope();
            return grads;
        }

        static void Release(IList<Tensor> grads)
        {
            foreach (var g in grads) g?.Dispose();
        }

        public override void Dispose()
        {
            graphs.Dispose();
            base.Dispose();
        }
    }

    /// <summary>
    /// G·v = (1/n) Σ Jᵢᵀ Hᵢ Jᵢ v: J v by the double-vjp trick (differentiate Jᵀu in u), Hᵢ the
    /// softmax Hessian diag(p) − ppᵀ for cross entropy (any smoothing) or 1 for squared error.
    /// </summary>
    sealed class GaussNewtonOperator(TorchObjective owner) : ChunkedOperator(owner)
    {
        protected override void ApplyChunk(int c, Tensor[] direction, Span<double> result, bool assign)
        {
            using var scope = NewDisposeScope();
            var output = Owner.model.forward(Owner.ChunkFeatures(c).Features);
            var dummy = zeros_like(output).requires_grad_(true);
            var transposed = autograd.grad([output], Owner.parameters, grad_outputs: [dummy], create_graph: true, retain_graph: true, allow_unused: true);
            var jv = autograd.grad([Dot(transposed, direction)], [dummy], retain_graph: true)[0];
            Tensor weighted = jv;
            if (Owner.labels is not null)
            {
                var p = nn.functional.softmax(output.detach(), 1);
                weighted = p * jv - p * (p * jv).sum(1, keepdim: true);
            }
            using var count = KeptScalar.Of(Owner.data.Count);
            var gv = autograd.grad([output], Owner.parameters, grad_outputs: [weighted.div(count)], allow_unused: true);
            Owner.Accumulate(gv, result, assign);
        }
    }
}

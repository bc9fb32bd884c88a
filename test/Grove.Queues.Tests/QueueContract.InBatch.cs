using Grove.Tree.Storage;

namespace Grove.Queues.Tests;

/// <summary>
/// An ack's receipt check runs inside the commit that deletes the file (on PostgreSQL in the same batch as the
/// commit): when the claim this node remembers no longer holds, that commit changes nothing.
/// </summary>
public abstract partial class QueueContract
{
    /// <summary>What another node's nack does to a claimed row, behind this node's back (its memory still holds the claim).</summary>
    private async Task ReleaseBehindTheNodesBackAsync(long seq)
    {
        await using var c = await Tree.Engines.OpenConnectionAsync(default);
        await using var cmd = EngineStorage.Command(c, null, "UPDATE grove_mq SET receipt = NULL, vis = 0 WHERE seq = @s");
        EngineStorage.Parameter(cmd, "s", seq);
        (await cmd.ExecuteNonQueryAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Ack_ReceiptReleasedSinceTheClaim_RefusedInsideTheCommitAndNothingChanged()
    {
        if (Unavailable) return;
        await Queues.PushAsync("/q", Text("x"), name: "m");
        var claimed = (await Queues.ClaimAsync("/q"))!;
        await ReleaseBehindTheNodesBackAsync(claimed.Message.Sequence);

        var e = await Should.ThrowAsync<QueueException>(() => Queues.AckAsync("/q", claimed.Receipt));

        e.Code.ShouldBe(QueueErrorCode.ReceiptStale);
        (await Tree.ReadAllBytesAsync("/q/m")).ShouldBe("x"u8.ToArray());
        (await Queues.ListAsync("/q")).Select(m => m.Sequence).ShouldBe([claimed.Message.Sequence]);
        var again = (await Queues.ClaimAsync("/q"))!;
        again.Message.Sequence.ShouldBe(claimed.Message.Sequence);
        await Queues.AckAsync("/q", again.Receipt);
        (await Tree.FindAsync("/q/m")).ShouldBeNull();
        (await Queues.ListAsync("/q")).ShouldBeEmpty();
    }

    [Fact]
    public async Task AckMany_OneReceiptReleasedSinceTheClaim_OthersAckedAndThatOneStaleWithItsFileKept()
    {
        if (Unavailable) return;
        await PushNamedAsync("/q", "a", "b", "c");
        var claimed = await Queues.ClaimManyAsync("/q", 3);
        await ReleaseBehindTheNodesBackAsync(claimed[1].Message.Sequence);

        var result = await Queues.AckManyAsync("/q", [.. claimed.Select(c => c.Receipt)]);

        result.Acked.ShouldBe(2);
        result.Stale.ShouldBe([claimed[1].Receipt]);
        (await Tree.FindAsync("/q/a")).ShouldBeNull();
        (await Tree.FindAsync("/q/b")).ShouldNotBeNull();
        (await Tree.FindAsync("/q/c")).ShouldBeNull();
        (await Queues.ListAsync("/q")).Select(m => m.Sequence).ShouldBe([claimed[1].Message.Sequence]);
    }

    [Fact]
    public async Task Push_SequenceFromTheCommit_MatchesTheListedMessages()
    {
        if (Unavailable) return;

        var pushed = new List<QueueMessage>();
        for (var i = 0; i < 5; i++)
        {
            pushed.Add(await Queues.PushAsync("/q", Text("p" + i)));
        }

        pushed.Select(p => p.Sequence).ShouldAllBe(s => s > 0);
        (await Queues.ListAsync("/q")).Select(m => (m.Sequence, m.Path)).ShouldBe(pushed.Select(p => (p.Sequence, p.Path)));
    }
}

using Streams.Feeds.Model;
using Streams.Feeds.Pegel;

namespace Streams.Feeds.Tests;

public sealed class StageTableTests
{
    [Fact]
    public void LANUK_gauge_metadata_gives_stages_only_to_gauges_with_information_levels()
    {
        var batch = new FeedBatch();
        var table = StageTable.Load(TestData.File("pegel/lanuk_gauge_meta_4stations.json"), batch);

        Assert.Equal([400, 460, 530], table.Find("4651000000100", null, null)!.StagesCm); // Herford_2 / Werre
        Assert.Null(table.Find("4621900000100", null, "Vossheide"));                      // info: [null, null, null]
        Assert.Empty(batch.Rejects);
    }

    [Fact]
    public void An_empty_level_in_the_threshold_csv_is_no_stage_and_names_match_without_prefix_and_umlauts()
    {
        var table = StageTable.Load(TestData.File("pegel/lanuk_rhine_wsv_gauges_thresholds.csv"), new FeedBatch());

        Assert.Equal([470, 650], table.Find(null, null, "KOBLENZ")!.StagesCm);           // Info_3 empty for Koblenz
        Assert.Equal([725, 950, 1000], table.Find("a-uuid-not-in-the-file", null, "KÖLN")!.StagesCm);
        Assert.Equal([680, 910, 960], table.Find(null, "2710080", null)!.StagesCm);
    }

    [Fact]
    public void A_stage_that_is_not_a_number_is_reported_with_its_line()
    {
        var batch = new FeedBatch();
        var table = StageTable.Load(TestData.Temp("stages.csv", "station,name,stage1,stage2\nx1,A,100,200\nx2,B,100,zwei\n"), batch);

        Assert.NotNull(table.Find("x1", null, null));
        Assert.Null(table.Find("x2", null, null));
        var reject = Assert.Single(batch.Rejects);
        Assert.Equal("line 3", reject.Position);
        Assert.Contains("stage2", reject.Reason);
    }
}

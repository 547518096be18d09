using Streams.Actors.Kafka.Internal;

namespace Streams.Kafka.Tests;

public sealed class BrokerConnectionWatchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    // The shape of librdkafka's statistics report, cut to what the watch reads: one real broker in the given state,
    // and librdkafka's internal broker and group coordinator, which must never count.
    private static string Report(string state, string internalState = "UP") => """
        {"name":"rdkafka#consumer-1","type":"consumer","brokers":{
          ":0/internal":{"name":":0/internal","nodeid":-1,"source":"internal","state":"INTERNAL"},
          "127.0.0.1:39185/1":{"name":"127.0.0.1:39185/1","nodeid":1,"source":"learned","state":"REAL"},
          "GroupCoordinator":{"name":"GroupCoordinator","nodeid":1,"source":"logical","state":"INTERNAL"}}}
        """.Replace("INTERNAL", internalState).Replace("REAL", state);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void A_broker_that_is_up_means_no_problem()
    {
        var watch = new BrokerConnectionWatch(Limit);

        Assert.Equal(BrokerVerdict.Up, watch.Observe(Report("UP"), S(1)));
        Assert.Null(watch.Problem);
    }

    [Fact]
    public void No_broker_up_is_a_problem_only_once_the_limit_has_passed_since_one_was_last_up()
    {
        var watch = new BrokerConnectionWatch(Limit);
        watch.Observe(Report("UP"), S(10));

        Assert.Equal(BrokerVerdict.DownBriefly, watch.Observe(Report("DOWN"), S(11)));
        Assert.Equal(BrokerVerdict.DownBriefly, watch.Observe(Report("CONNECT"), S(12.9)));
        Assert.Null(watch.Problem);

        Assert.Equal(BrokerVerdict.Down, watch.Observe(Report("DOWN"), S(13)));
        Assert.Equal("no Kafka broker connection for 3 s (127.0.0.1:39185/1: DOWN)", watch.Problem);
    }

    [Fact]
    public void A_consumer_that_never_reached_a_broker_counts_from_its_start()
    {
        var watch = new BrokerConnectionWatch(Limit);

        Assert.Equal(BrokerVerdict.DownBriefly, watch.Observe(Report("CONNECT"), S(2)));
        Assert.Equal(BrokerVerdict.Down, watch.Observe(Report("CONNECT"), S(4)));
    }

    [Fact]
    public void Internal_and_logical_brokers_that_are_up_do_not_hide_a_lost_broker()
    {
        var watch = new BrokerConnectionWatch(Limit);

        Assert.Equal(BrokerVerdict.Down, watch.Observe(Report("DOWN", internalState: "UP"), S(5)));
        Assert.DoesNotContain("internal", watch.Problem);
        Assert.DoesNotContain("GroupCoordinator", watch.Problem);
    }

    [Fact]
    public void The_problem_names_the_latest_error_seen_since_a_broker_was_last_up()
    {
        var watch = new BrokerConnectionWatch(Limit);
        watch.ErrorSeen("Connection refused");
        watch.ErrorSeen("1/1 brokers are down");

        watch.Observe(Report("DOWN"), S(4));
        Assert.EndsWith(": 1/1 brokers are down", watch.Problem);

        watch.Observe(Report("UP"), S(5));
        watch.Observe(Report("DOWN"), S(9));
        Assert.Equal("no Kafka broker connection for 4 s (127.0.0.1:39185/1: DOWN)", watch.Problem);
    }

    [Fact]
    public void A_broker_up_again_clears_the_problem()
    {
        var watch = new BrokerConnectionWatch(Limit);
        watch.Observe(Report("DOWN"), S(5));
        Assert.NotNull(watch.Problem);

        Assert.Equal(BrokerVerdict.Up, watch.Observe(Report("UP"), S(6)));
        Assert.Null(watch.Problem);
        Assert.Equal(BrokerVerdict.DownBriefly, watch.Observe(Report("DOWN"), S(8)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"name":"rdkafka#consumer-1"}""")]
    [InlineData("""{"brokers":[]}""")]
    [InlineData("""{"brokers":{"b/1":{"source":"learned","state":1}}}""")]
    public void A_report_without_a_readable_broker_list_changes_nothing(string json)
    {
        var watch = new BrokerConnectionWatch(Limit);
        watch.Observe(Report("DOWN"), S(5));
        var before = watch.Problem;

        Assert.Equal(BrokerVerdict.Unknown, watch.Observe(json, S(6)));
        Assert.Equal(before, watch.Problem);
    }
}

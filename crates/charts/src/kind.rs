//! The time-series charts as one enum, so the web page, the SVG dashboard and the tests
//! iterate over them instead of repeating each one: title, Grafana metric, how to
//! decimate, how to draw, and how to say it in words. The database's three charts are
//! shown only when the scenario models a database, the callers' two only when the run
//! models its callers, the request threads' only with threads, the load balancer's only
//! with health checks ([`ChartKind::shown`]).

use plotters::coord::Shift;
use plotters::prelude::*;
use poolsim_engine::{AppSample, CallerSample, DatabaseSample, Sample, Simulation};

use crate::decimate::{
    CallersReduce, DatabaseReduce, Reduce, decimate_callers, decimate_database, decimate_server,
    decimate_with, points_for_width,
};
use crate::{
    ChartInput, DatabaseSeries, ServerSeries, Theme, acquire, callers, connections, database, pending,
    server, throughput, timeouts,
};

/// One of the time-series charts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Idle, active and leaked connections under the pool's maximum.
    Connections,
    /// Requests waiting for a connection.
    Pending,
    /// Acquire time: p50, p99 and max.
    Acquire,
    /// Timeouts and other failures per second.
    Timeouts,
    /// Arrivals and served per second.
    Throughput,
    /// The database's connections open, under its usable limit and `max_connections`.
    DatabaseConnections,
    /// The database's cores busy, 0–100 %.
    DatabaseCpu,
    /// Query time ÷ the same query's time alone.
    QueryStretch,
    /// Served per second against answered before the caller's deadline (goodput), and
    /// the work wasted on callers already gone.
    Goodput,
    /// Attempts per second, first tries and retries.
    Attempts,
    /// Request threads busy against the threads there are, the accept queue, refusals.
    Threads,
    /// Instances in the load balancer.
    Balancer,
}

/// What a run models beyond its pool: which charts it has ([`ChartKind::shown`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Models {
    /// A database behind the pool.
    pub database: bool,
    /// Its callers (a deadline, a retry policy, a breaker).
    pub callers: bool,
    /// The application servers' request threads.
    pub threads: bool,
    /// The load balancer's health checks.
    pub health: bool,
}

impl Models {
    /// What `sim` models.
    pub fn of(sim: &Simulation) -> Self {
        Self {
            database: sim.scenario().database.is_some(),
            callers: sim.models_callers(),
            threads: sim.models_threads(),
            health: sim.models_health(),
        }
    }
}

/// What a run must model for a chart to be shown: every run has a pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needs {
    /// Any run.
    Pool,
    /// A database behind the pool.
    Database,
    /// Its callers (a deadline, a retry policy, a breaker).
    Callers,
    /// Request threads in front of the pool.
    Threads,
    /// Health checks of a fleet.
    Health,
}

/// Which series a chart draws, and how it decimates them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reduction {
    /// The pool's samples.
    Pool(Reduce),
    /// The database's samples.
    Database(DatabaseReduce),
    /// The callers' samples (and the pool's, averaged).
    Callers(CallersReduce),
    /// The application servers' samples, each bucket its worst ([`decimate_server`]).
    Server,
}

impl ChartKind {
    /// Every chart, in page order.
    pub const ALL: [ChartKind; 12] = [
        ChartKind::Connections,
        ChartKind::Pending,
        ChartKind::Acquire,
        ChartKind::Timeouts,
        ChartKind::Throughput,
        ChartKind::DatabaseConnections,
        ChartKind::DatabaseCpu,
        ChartKind::QueryStretch,
        ChartKind::Goodput,
        ChartKind::Attempts,
        ChartKind::Threads,
        ChartKind::Balancer,
    ];

    /// The charts of a run that models `models`, in page order: the pool's five, the
    /// database's three, the callers' two, the request threads' and the load balancer's.
    pub fn shown(models: Models) -> impl Iterator<Item = ChartKind> {
        Self::ALL.into_iter().filter(move |kind| match kind.needs() {
            Needs::Pool => true,
            Needs::Database => models.database,
            Needs::Callers => models.callers,
            Needs::Threads => models.threads,
            Needs::Health => models.health,
        })
    }

    /// What the run must model for it to be shown.
    pub fn needs(self) -> Needs {
        match self.reduce() {
            Reduction::Pool(_) => Needs::Pool,
            Reduction::Database(_) => Needs::Database,
            Reduction::Callers(_) => Needs::Callers,
            Reduction::Server if self == ChartKind::Threads => Needs::Threads,
            Reduction::Server => Needs::Health,
        }
    }

    /// Whether it spans the whole width (and is drawn taller): the first chart of the pool
    /// and of the database.
    pub fn is_wide(self) -> bool {
        matches!(self, ChartKind::Connections | ChartKind::DatabaseConnections)
    }

    /// The plain title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Connections => "Connections",
            ChartKind::Pending => "Requests waiting",
            ChartKind::Acquire => "Acquire time",
            ChartKind::Timeouts => "Timeouts per second",
            ChartKind::Throughput => "Throughput",
            ChartKind::DatabaseConnections => "Database connections",
            ChartKind::DatabaseCpu => "Database CPU",
            ChartKind::QueryStretch => "Query stretch",
            ChartKind::Goodput => "Goodput",
            ChartKind::Attempts => "Attempts",
            ChartKind::Threads => "Request threads",
            ChartKind::Balancer => "Load balancer",
        }
    }

    /// The metric as engineers find it in Grafana (HikariCP/Micrometer; PostgreSQL's and
    /// the node's exporters for the database).
    pub fn metric(self) -> &'static str {
        match self {
            ChartKind::Connections => "hikaricp_connections_active / _idle / _max",
            ChartKind::Pending => "hikaricp_connections_pending",
            ChartKind::Acquire => "hikaricp_connections_acquire_seconds",
            ChartKind::Timeouts => "rate(hikaricp_connections_timeout_total)",
            ChartKind::Throughput => "rate(hikaricp_connections_acquire_seconds_count)",
            ChartKind::DatabaseConnections => "pg_stat_database_numbackends / pg_settings_max_connections",
            ChartKind::DatabaseCpu => "1 - rate(node_cpu_seconds_total{mode=\"idle\"})",
            ChartKind::QueryStretch => "pg_stat_statements mean_exec_time ÷ time alone",
            ChartKind::Goodput => "served before the caller's deadline",
            ChartKind::Attempts => "first tries and retries",
            ChartKind::Threads => "tomcat_threads_busy_threads / tomcat_threads_config_max_threads",
            ChartKind::Balancer => "healthy hosts behind the load balancer",
        }
    }

    /// Title and metric on one line: `Connections — hikaricp_connections_active / _idle / _max`.
    pub fn caption(self) -> String {
        format!("{} — {}", self.title(), self.metric())
    }

    /// A short lowercase name (`connections`, `pending`, `acquire`, `timeouts`,
    /// `throughput`, `db-connections`, `db-cpu`, `query-stretch`, `goodput`, `attempts`,
    /// `threads`, `balancer`)
    /// for ids, file names and test ids.
    pub fn slug(self) -> &'static str {
        match self {
            ChartKind::Connections => "connections",
            ChartKind::Pending => "pending",
            ChartKind::Acquire => "acquire",
            ChartKind::Timeouts => "timeouts",
            ChartKind::Throughput => "throughput",
            ChartKind::DatabaseConnections => "db-connections",
            ChartKind::DatabaseCpu => "db-cpu",
            ChartKind::QueryStretch => "query-stretch",
            ChartKind::Goodput => "goodput",
            ChartKind::Attempts => "attempts",
            ChartKind::Threads => "threads",
            ChartKind::Balancer => "balancer",
        }
    }

    /// The chart whose [`slug`](Self::slug) is `slug` (a lesson step names its chart so).
    pub fn from_slug(slug: &str) -> Option<ChartKind> {
        Self::ALL.into_iter().find(|kind| kind.slug() == slug)
    }

    /// The series this chart draws and how it reduces a bucket of seconds when there are
    /// more than it can draw.
    pub fn reduce(self) -> Reduction {
        match self {
            ChartKind::Connections => Reduction::Pool(Reduce::Busiest),
            ChartKind::Pending => Reduction::Pool(Reduce::MostPending),
            ChartKind::Acquire => Reduction::Pool(Reduce::WorstWait),
            ChartKind::Timeouts => Reduction::Pool(Reduce::MostFailures),
            ChartKind::Throughput => Reduction::Pool(Reduce::MeanRates),
            ChartKind::DatabaseConnections => Reduction::Database(DatabaseReduce::MostConnections),
            ChartKind::DatabaseCpu => Reduction::Database(DatabaseReduce::BusiestCpu),
            ChartKind::QueryStretch => Reduction::Database(DatabaseReduce::MostStretched),
            ChartKind::Goodput | ChartKind::Attempts => Reduction::Callers(CallersReduce::MeanRates),
            ChartKind::Threads | ChartKind::Balancer => Reduction::Server,
        }
    }

    /// `input` (a run's full series) decimated for a plot `width_px` device pixels wide
    /// ([`points_for_width`]): the series this chart draws reduced its way, the others
    /// left empty.
    pub fn decimated<'a>(self, input: &ChartInput<'a>, width_px: u32) -> Decimated<'a> {
        let points = points_for_width(width_px);
        let mut drawn = Decimated {
            input: *input,
            samples: Vec::new(),
            database: Vec::new(),
            callers: Vec::new(),
            server: Vec::new(),
        };
        match self.reduce() {
            Reduction::Pool(reduce) => drawn.samples = decimate_with(input.samples, points, reduce),
            Reduction::Database(reduce) => {
                let samples = input.database.map_or(&[][..], |db| db.samples);
                drawn.database = decimate_database(samples, points, reduce);
            }
            Reduction::Callers(reduce) => {
                drawn.samples = decimate_with(input.samples, points, Reduce::MeanRates);
                drawn.callers = decimate_callers(input.callers, points, reduce);
            }
            Reduction::Server => {
                let samples = input.server.map_or(&[][..], |s| s.samples);
                drawn.server = decimate_server(samples, points);
            }
        }
        drawn
    }

    /// Draw this chart filling `area`; `input` already decimated by [`Self::decimated`].
    pub fn draw<DB: DrawingBackend>(
        self,
        area: &DrawingArea<DB, Shift>,
        input: &ChartInput<'_>,
        theme: &Theme,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        match self {
            ChartKind::Connections => connections::draw_connections(area, input, theme),
            ChartKind::Pending => pending::draw_pending(area, input, theme),
            ChartKind::Acquire => acquire::draw_acquire(area, input, theme),
            ChartKind::Timeouts => timeouts::draw_timeouts(area, input, theme),
            ChartKind::Throughput => throughput::draw_throughput(area, input, theme),
            ChartKind::DatabaseConnections => database::draw_database_connections(area, input, theme),
            ChartKind::DatabaseCpu => database::draw_database_cpu(area, input, theme),
            ChartKind::QueryStretch => database::draw_query_stretch(area, input, theme),
            ChartKind::Goodput => callers::draw_goodput(area, input, theme),
            ChartKind::Attempts => callers::draw_attempts(area, input, theme),
            ChartKind::Threads => server::draw_threads(area, input, theme),
            ChartKind::Balancer => server::draw_balancer(area, input, theme),
        }
    }

    /// The chart's current values in words (for `aria-label`), from the full series.
    pub fn describe(self, input: &ChartInput<'_>) -> String {
        let samples = input.samples;
        match self {
            ChartKind::Connections => connections::describe_connections(samples),
            ChartKind::Pending => pending::describe_pending(samples),
            ChartKind::Acquire => acquire::describe_acquire(samples),
            ChartKind::Timeouts => timeouts::describe_timeouts(samples),
            ChartKind::Throughput => throughput::describe_throughput(samples),
            ChartKind::DatabaseConnections => database::describe_database_connections(input.database),
            ChartKind::DatabaseCpu => database::describe_database_cpu(input.database),
            ChartKind::QueryStretch => database::describe_query_stretch(input.database),
            ChartKind::Goodput => callers::describe_goodput(input),
            ChartKind::Attempts => callers::describe_attempts(input.callers),
            ChartKind::Threads => server::describe_threads(input),
            ChartKind::Balancer => server::describe_balancer(input),
        }
    }
}

/// The charts a program may draw, fixed when it is built, so that it carries the code of
/// those alone: [`AllCharts`] draws every [`ChartKind`] (the visualizer, the dashboard);
/// [`ConnectionsOnly`] the connections chart alone (the embed page, the lightest bundle),
/// any other kind as nothing.
pub trait ChartSet {
    /// [`ChartKind::decimated`], for the kinds of the set.
    fn decimated<'a>(kind: ChartKind, input: &ChartInput<'a>, width_px: u32) -> Decimated<'a>;

    /// [`ChartKind::draw`], for the kinds of the set.
    fn draw<DB: DrawingBackend>(
        kind: ChartKind,
        area: &DrawingArea<DB, Shift>,
        input: &ChartInput<'_>,
        theme: &Theme,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;

    /// [`ChartKind::describe`], for the kinds of the set.
    fn describe(kind: ChartKind, input: &ChartInput<'_>) -> String;
}

/// Every chart: [`ChartKind`]'s own methods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AllCharts;

impl ChartSet for AllCharts {
    fn decimated<'a>(kind: ChartKind, input: &ChartInput<'a>, width_px: u32) -> Decimated<'a> {
        kind.decimated(input, width_px)
    }

    fn draw<DB: DrawingBackend>(
        kind: ChartKind,
        area: &DrawingArea<DB, Shift>,
        input: &ChartInput<'_>,
        theme: &Theme,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        kind.draw(area, input, theme)
    }

    fn describe(kind: ChartKind, input: &ChartInput<'_>) -> String {
        kind.describe(input)
    }
}

/// The connections chart alone; any other kind has no series, draws nothing and says nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionsOnly;

impl ChartSet for ConnectionsOnly {
    fn decimated<'a>(kind: ChartKind, input: &ChartInput<'a>, width_px: u32) -> Decimated<'a> {
        let samples = if kind == ChartKind::Connections {
            decimate_with(input.samples, points_for_width(width_px), Reduce::Busiest)
        } else {
            Vec::new()
        };
        Decimated { input: *input, samples, database: Vec::new(), callers: Vec::new(), server: Vec::new() }
    }

    fn draw<DB: DrawingBackend>(
        kind: ChartKind,
        area: &DrawingArea<DB, Shift>,
        input: &ChartInput<'_>,
        theme: &Theme,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        if kind == ChartKind::Connections {
            connections::draw_connections(area, input, theme)
        } else {
            Ok(())
        }
    }

    fn describe(kind: ChartKind, input: &ChartInput<'_>) -> String {
        if kind == ChartKind::Connections {
            connections::describe_connections(input.samples)
        } else {
            String::new()
        }
    }
}

/// A chart's input decimated for its width ([`ChartKind::decimated`]): it owns the
/// decimated series; [`Decimated::input`] lends them out with the rest of the input.
#[derive(Clone, Debug)]
pub struct Decimated<'a> {
    input: ChartInput<'a>,
    samples: Vec<Sample>,
    database: Vec<DatabaseSample>,
    callers: Vec<CallerSample>,
    server: Vec<AppSample>,
}

impl Decimated<'_> {
    /// The input to draw: the decimated series, the clock, the end and the markers.
    pub fn input(&self) -> ChartInput<'_> {
        let database = self.input.database.map(|db| DatabaseSeries { samples: &self.database, ..db });
        let server = self.input.server.map(|s| ServerSeries { samples: &self.server, ..s });
        ChartInput { samples: &self.samples, database, callers: &self.callers, server, ..self.input }
    }
}

#[cfg(test)]
mod tests {
    use poolsim_engine::{AppSample, CallerSample, DatabaseConfig, Gauges};

    use super::*;

    #[test]
    fn descriptions_say_the_current_values_in_words() {
        let samples = [
            Sample {
                t_s: 1,
                gauges: Gauges { active: 10, max: 10, pending: 7, ..Gauges::default() },
                served: 40,
                arrivals: 50,
                acquire_p99_ms: 12.0,
                ..Sample::default()
            },
            Sample {
                t_s: 2,
                gauges: Gauges { active: 10, leaked: 10, max: 10, pending: 3, ..Gauges::default() },
                arrivals: 50,
                timeouts: 50,
                failed: 52,
                ..Sample::default()
            },
        ];
        let config = DatabaseConfig { cores: 2, ..DatabaseConfig::default() };
        let db_samples = [
            DatabaseSample {
                t_s: 1,
                connections: 40,
                queries: 90,
                stretch: 2.5,
                utilisation: 1.0,
                ..DatabaseSample::default()
            },
            DatabaseSample {
                t_s: 2,
                connections: 12,
                queries: 30,
                stretch: 1.25,
                utilisation: 0.38,
                ..DatabaseSample::default()
            },
        ];
        let callers = [
            CallerSample { t_s: 1, first_tries: 50, goodput: 40, ..CallerSample::default() },
            CallerSample {
                t_s: 2,
                first_tries: 20,
                retries: 30,
                goodput: 0,
                served_late: 10,
                ..CallerSample::default()
            },
        ];
        let servers = [
            AppSample { t_s: 1, threads_busy: 150, accept_queue: 0, rejected: 0, in_balancer: 5 },
            AppSample { t_s: 2, threads_busy: 200, accept_queue: 100, rejected: 1_500, in_balancer: 2 },
        ];
        let input = ChartInput {
            samples: &samples,
            database: Some(DatabaseSeries { config: &config, samples: &db_samples }),
            callers: &callers,
            server: Some(ServerSeries { samples: &servers, threads: Some(200), instances: Some(5) }),
            clock_start_s: 0,
            end_s: 2,
            markers: &[],
        };
        let words = |kind: ChartKind| kind.describe(&input);
        assert_eq!(
            words(ChartKind::Connections),
            "Connections over time: at most 10 in use so far; 10 in use, 0 idle and 10 leaked now, of at most 10."
        );
        assert_eq!(words(ChartKind::Pending), "Requests waiting over time: 3 waiting now; at most 7 so far.");
        assert_eq!(
            words(ChartKind::Acquire),
            "Acquire time over time: no request got a connection in the last second; worst p99 12 ms so far."
        );
        assert!(
            words(ChartKind::Timeouts).starts_with("Timeouts per second: 50 timeouts and 2 other failures")
        );
        assert_eq!(
            words(ChartKind::Throughput),
            "Throughput per second: 50 arrived and 0 served in the last second; 40 % of arrivals served so far."
        );
        assert_eq!(
            words(ChartKind::DatabaseConnections),
            "Database connections over time: 12 open now; at most 40 so far, of 97 usable (max_connections 100, 3 reserved)."
        );
        assert_eq!(
            words(ChartKind::DatabaseCpu),
            "Database CPU over time: 38 % of 2 cores busy in the last second; at most 100 % so far."
        );
        assert_eq!(
            words(ChartKind::QueryStretch),
            "Query stretch over time: queries took 1.25 times their time alone in the last second; at worst 2.5 times so far."
        );
        assert_eq!(
            words(ChartKind::Goodput),
            "Goodput per second: 0 served and 0 answered in time in the last second, 10 too late; 20 % of the work so far wasted."
        );
        assert_eq!(
            words(ChartKind::Attempts),
            "Attempts per second: 20 first tries and 30 retries in the last second; at worst 2.5 attempts a request."
        );
        assert_eq!(
            words(ChartKind::Threads),
            "Request threads over time: 200 of 200 busy now, 100 waiting to be accepted, 1500 refused in the last second; at most 200 busy and 1500 refused so far."
        );
        assert_eq!(
            words(ChartKind::Balancer),
            "Instances in the load balancer over time: 2 of 5 now, 2 at the fewest."
        );
        let empty = ChartInput { samples: &[], database: None, callers: &[], server: None, ..input };
        for kind in ChartKind::ALL {
            assert!(kind.describe(&empty).ends_with("no data yet."), "{kind:?} before the first second");
        }
    }

    #[test]
    fn captions_name_the_grafana_metric() {
        assert_eq!(
            ChartKind::Connections.caption(),
            "Connections — hikaricp_connections_active / _idle / _max"
        );
        assert!(ChartKind::shown(Models::default()).all(|k| k.caption().contains("hikaricp_connections")));
        assert_eq!(
            ChartKind::DatabaseConnections.caption(),
            "Database connections — pg_stat_database_numbackends / pg_settings_max_connections"
        );
    }

    #[test]
    fn connections_only_draws_the_connections_chart_as_every_chart_does() {
        let samples: Vec<Sample> = (1..=900)
            .map(|t| Sample {
                t_s: t,
                gauges: Gauges { active: t % 13, max: 20, ..Gauges::default() },
                ..Sample::default()
            })
            .collect();
        let input = ChartInput {
            samples: &samples,
            database: None,
            callers: &[],
            server: None,
            clock_start_s: 0,
            end_s: 900,
            markers: &[],
        };
        let kind = ChartKind::Connections;
        let (all, one) =
            (AllCharts::decimated(kind, &input, 400), ConnectionsOnly::decimated(kind, &input, 400));
        assert_eq!(all.input().samples, one.input().samples);
        assert_eq!(AllCharts::describe(kind, &input), ConnectionsOnly::describe(kind, &input));
        assert!(ConnectionsOnly::decimated(ChartKind::Pending, &input, 400).input().samples.is_empty());
        assert_eq!(ConnectionsOnly::describe(ChartKind::Pending, &input), "");
    }

    #[test]
    fn the_database_callers_and_servers_charts_are_shown_only_when_the_run_models_them() {
        let pool: Vec<&str> = ChartKind::shown(Models::default()).map(ChartKind::slug).collect();
        assert_eq!(pool, ["connections", "pending", "acquire", "timeouts", "throughput"]);
        let callers = Models { callers: true, ..Models::default() };
        let callers: Vec<&str> = ChartKind::shown(callers).skip(5).map(ChartKind::slug).collect();
        assert_eq!(callers, ["goodput", "attempts"]);
        let threads = Models { threads: true, ..Models::default() };
        let threads: Vec<&str> = ChartKind::shown(threads).skip(5).map(ChartKind::slug).collect();
        assert_eq!(threads, ["threads"]);
        let health = Models { health: true, ..Models::default() };
        let health: Vec<&str> = ChartKind::shown(health).skip(5).map(ChartKind::slug).collect();
        assert_eq!(health, ["balancer"]);
        let every = Models { database: true, callers: true, threads: true, health: true };
        let all: Vec<ChartKind> = ChartKind::shown(every).collect();
        assert_eq!(all, ChartKind::ALL);
        assert!(all.iter().skip(5).take(3).all(|k| k.needs() == Needs::Database));
        assert_eq!(
            all.iter().filter(|k| k.is_wide()).count(),
            2,
            "the pool's and the database's connections"
        );
    }
}

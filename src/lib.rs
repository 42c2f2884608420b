//! poolsim's web app: a thin Yew shell over the engine (`poolsim-engine`) and the charts
//! (`poolsim-charts`). Data flows one way: scenario → engine → samples → drawing.

pub mod app;
pub mod canvas;
pub mod components;
pub mod hooks;
pub mod live;
pub mod log_feed;
pub mod player;
pub mod share;
pub mod state;

/// Render the app into the page's `<body>`.
pub fn run() {
    yew::Renderer::<app::App>::new().render();
}

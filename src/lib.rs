//! poolsim's web app: a thin Yew shell over the engine (`poolsim-engine`) and the charts
//! (`poolsim-charts`). Data flows one way: scenario → engine → samples → drawing.

/// Every page's (and worker's) memory allocator: Talc, smaller than Rust's default for
/// wasm (dlmalloc, 3.0 KB of each page's download) and faster. The pages are
/// single-threaded (no `atomics`), which Talc's wasm allocator requires.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod canvas;
pub mod components;
pub mod forms;
pub mod hooks;
pub mod pages;
pub mod replicate;
pub mod run;
pub mod scenarios;
pub mod share;
pub mod state;

/// Render the visualizer into the page's `<body>` (`index.html`).
pub fn run_visualizer() {
    yew::Renderer::<pages::visualizer::VisualizerPage>::new().render();
}

/// Render the embed page into the page's `<body>` (`embed.html`).
pub fn run_embed() {
    yew::Renderer::<pages::embed::EmbedPage>::new().render();
}

/// Render the learn page into the page's `<body>` (`learn.html`).
pub fn run_learn() {
    yew::Renderer::<pages::learn::LearnPage>::new().render();
}

/// Render the share page into the page's `<body>` (`share.html`).
pub fn run_share() {
    yew::Renderer::<pages::share::SharePage>::new().render();
}

/// Render the compare page into the page's `<body>` (`compare.html`).
pub fn run_compare() {
    yew::Renderer::<pages::compare::ComparePage>::new().render();
}

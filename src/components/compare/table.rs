//! The outcome table — a row per what-if, the best value of each column marked with ✓
//! and bold (never colour alone) — and the lesson of each row under it.

use yew::prelude::*;

use super::cells::{Column, Row};

/// The outcome table of `rows` (a row per what-if, the baseline first), then the lesson
/// of each row.
pub fn outcome_table(rows: &[Row]) -> Html {
    html! {
        <>
            // Scrolls sideways on a phone instead of widening the page; focusable so the
            // keyboard can scroll it too.
            <div class="compare-table-wrap" role="region" aria-labelledby="compare-caption" tabindex="0">
                <table class="compare-table" data-testid="compare-table">
                    <caption id="compare-caption">
                        {"Each what-if run to the end with the same seed. "}
                        <strong>{"✓ and bold"}</strong>{": the best value of each column."}
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col" class="num">{"#"}</th>
                            <th scope="col">{"What if"}</th>
                            { for Column::ALL.iter().map(|col| html! {
                                <th scope="col" class={if col.numeric() { "num" } else { "" }}>{col.heading()}</th>
                            }) }
                            <th scope="col">{"Run ends"}</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().enumerate().map(|(i, row)| html! {
                            <tr data-testid={format!("compare-row-{i}")}>
                                <td class="num">{i}</td>
                                <th scope="row">{&row.label}</th>
                                { for Column::ALL.iter().zip(&row.cells).map(|(col, cell)| html! {
                                    <td data-testid={format!("compare-cell-{i}-{}", col.slug())}
                                        class={match (col.numeric(), cell.best) {
                                            (true, true) => "num compare-best",
                                            (true, false) => "num",
                                            (false, true) => "compare-best",
                                            (false, false) => "",
                                        }}
                                        data-best={cell.best.then_some("true")}>
                                        <span class="compare-value">{&cell.text}</span>
                                        if cell.best {
                                            <span class="compare-mark" aria-hidden="true">{"✓"}</span>
                                            <span class="visually-hidden">{" (best)"}</span>
                                        }
                                    </td>
                                }) }
                                <td>{&row.ends}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <h3 class="compare-lessons-title">{"What each fix changed"}</h3>
            <ul class="compare-lessons">
                { for rows.iter().enumerate().map(|(i, row)| html! {
                    <li data-testid={format!("compare-lesson-{i}")}>
                        <span class="compare-lesson-row" aria-hidden="true">{i}</span>{" "}{&row.lesson}
                    </li>
                }) }
            </ul>
        </>
    }
}

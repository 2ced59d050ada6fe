//! The bulk helpers of `SnsClient` (`importFriends`, `addFriends`, ...). Every decision is the
//! engine's (`crate::client::bulk`); this executor only does I/O: it sends what the engine
//! asks for, waits for the rate budget, the caller's `rateLimiter` or a reply, appends the journal
//! lines, and hands back the clock, the replies and random numbers.

use super::bulk_io::{Cause, Halt, Journal, Signal, Wake, bulk_error};
use super::client::{CallSettings, Inner, Prepared, RateLimiter, SnsClient, delay, get, now_ms, once};
use crate::client::budget::rate_limited;
use crate::client::bulk::Answer;
use super::convert::{check_js, plain_json};
use super::errors::validation_error;
use crate::client::bulk::columns::Columns;
use crate::client::options::BulkTuning;
use crate::client::bulk::input::{self, Input};
use crate::client::bulk::journal::Replay;
use crate::client::bulk::engine::SETTLED_STRETCH;
use crate::client::bulk::{self, Config, Engine, Operation, Poll, Totals};
use crate::model::Command;
use crate::validate::{Path, Violations};
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use super::promise;

/// Options of one bulk run.
struct Settings {
    call: CallSettings,
    on_progress: Option<Function>,
    limiter: Option<RateLimiter>,
    journal: Option<Journal>,
    signal: Option<Signal>,
    /// The run's command, named in `onProgress` failures and the `BulkError`.
    command: &'static str,
}

impl SnsClient {
    fn bulk(&self, op: Operation, input: JsValue, options: JsValue) -> Promise {
        let started = self.plan_bulk(op, input, options);
        let inner = self.inner();
        promise(async move {
            let (engine, settings) = started?;
            run(engine, settings, inner).await
        })
    }

    /// Reads the input and options, checks every item on its own (a bad item fails alone,
    /// not its whole call), and plans the rest.
    fn plan_bulk(&self, op: Operation, input: JsValue, options: JsValue) -> Result<(Engine, Settings), JsValue> {
        let on_progress = get(&options, "onProgress").dyn_into::<Function>().ok();
        let call = self.settings(&get(&options, "call"))?;
        let mut out = Violations::new();
        // The run's own limiter (deprecated), else the client's.
        let limiter = match RateLimiter::from_js(get(&options, "rateLimiter")) {
            Ok(own) => own.or_else(|| self.inner().limiter.clone()),
            Err(rule) => {
                out.push(&Path::named("options").key("rateLimiter"), "type", format!("options.rateLimiter {rule}"));
                None
            }
        };
        let journal = match Journal::from_js(&get(&options, "journal")) {
            Ok(j) => j,
            Err(why) => {
                out.push(&Path::named("options").key("journal"), "type", why);
                None
            }
        };
        let signal = get(&options, "signal").dyn_into::<Signal>().ok();
        let data = if options.is_object() { Object::assign(&Object::new(), options.unchecked_ref::<Object>()).into() } else { JsValue::UNDEFINED };
        if data.is_object() {
            for key in ["onProgress", "call", "rateLimiter", "journal", "signal"] {
                let _ = Reflect::delete_property(data.unchecked_ref::<Object>(), &JsValue::from_str(key));
            }
        }
        let BulkTuning { concurrency, item_retries, body: extra } = check_js(data, &Path::named("options"), BulkTuning::from_json).map_err(validation_error)?;
        if !out.is_empty() {
            return Err(validation_error(out));
        }
        // Plain data: one JSON.stringify, its items kept as spans of that text (no tree of them
        // is built, copied or printed again). Anything else takes the careful walk, which
        // also reports what is wrong with the input's shape.
        let stringified = js_sys::JSON::stringify(&input).ok().and_then(|t| super::text::read(&t));
        if let Some(text) = &stringified {
            reserve_heap(text.len() * HEAP_PER_INPUT_BYTE);
        }
        let entries = match stringified.and_then(Input::parse) {
            Some(parsed) => parsed,
            None => match plain_json(&input) {
                Some((_, json)) => input::from_tree(json),
                None => check_js(input, &Path::root(), |json| input::from_tree(json.clone())),
            }
            .map_err(validation_error)?
            .into(),
        };
        // Items are checked call by call as the engine sends them: a bad item fails alone.
        let config = Config {
            rate_per_second: self.inner().rate as u32,
            concurrency,
            retry: call.retry,
            item_retries,
            external_limiter: limiter.is_some(),
            journal: journal.is_some(),
            check: Some(self.validation()),
            budgets: Some(Rc::clone(&self.inner().budgets)),
            ..Config::default()
        };
        let engine = Engine::new(op, entries, extra, config);
        Ok((engine, Settings { call, on_progress, limiter, journal, signal, command: op.command }))
    }
}

/// Heap a run needs per byte of its input text, about: the text itself, each item's plan and
/// report, the call bodies. With 4, a run of 1 000 000 items of about 60 bytes still spent 4% of
/// its time growing the memory (scripts/bench-scale.mjs under `node --cpu-prof`).
const HEAP_PER_INPUT_BYTE: usize = 8;

/// Grows the wasm heap by about `bytes` at once. The allocator otherwise grows the memory 64 KiB
/// at a time as a large run fills it: tens of thousands of `memory.grow` calls, each of which
/// V8 makes costly (it was 13% of a 1 000 000-item run's time). The block is freed at once and
/// stays in the allocator's free space (a wasm memory never shrinks), so later allocations
/// take from it; pages never touched cost no resident memory.
fn reserve_heap(bytes: usize) {
    if bytes > (1 << 20) {
        // black_box: an allocation nothing uses is otherwise optimised away.
        drop(std::hint::black_box(Vec::<u8>::with_capacity(bytes)));
    }
}

/// The executor loop: poll, send, wait; until the engine says done. A failed journal or rate
/// limiter halts it: the engine is stopped, nothing more is sent, the calls in flight finish,
/// and the run rejects with a `BulkError` carrying the report.
async fn run(engine: Engine, settings: Settings, inner: Rc<Inner>) -> Result<JsValue, JsValue> {
    let engine = Rc::new(RefCell::new(engine));
    let settings = Rc::new(settings);
    let halt = Rc::new(Halt::default());
    if let Some(j) = &settings.journal {
        let text = j.read().await.unwrap_or_else(|e| {
            halt.set(Cause::JournalRead, e);
            String::new()
        });
        if !text.is_empty() && !text.ends_with('\n') {
            // A line cut short by a kill: end it, so the next line is not glued to it.
            if let Err(e) = j.append(&[String::new()]).await {
                halt.set(Cause::JournalAppend, e);
            }
        }
        if !halt.is_set() && !text.trim().is_empty() {
            let replay = Replay::parse(&text);
            engine.borrow_mut().resume(&replay).map_err(|why| {
                let mut out = Violations::new();
                out.push(&Path::named("options").key("journal"), "journal", why);
                validation_error(out)
            })?;
        }
    }
    let wake = Rc::new(Wake::default());
    // The report's items in stretches, as they settle: each becomes JS objects while the run
    // waits (for replies or the budget), so the end has only the rest to convert.
    let stretches = Array::new();
    let started = now_ms();
    let mut stopping = false;
    loop {
        if !stopping && (halt.is_set() || settings.signal.as_ref().is_some_and(|s| s.aborted())) {
            engine.borrow_mut().stop();
            stopping = true;
        }
        let now = now_ms();
        let poll = engine.borrow_mut().poll(now);
        // The `sent` line of a call is on record before the call goes out.
        let lines = engine.borrow_mut().take_journal();
        append(&settings, &halt, &lines).await;
        match poll {
            // Halted while its `sent` line was appended: it must not go out.
            Poll::Send(req) if halt.is_set() => engine.borrow_mut().withdraw(req.id),
            Poll::Send(req) => {
                let (engine, settings, inner, wake, halt) = (Rc::clone(&engine), Rc::clone(&settings), Rc::clone(&inner), Rc::clone(&wake), Rc::clone(&halt));
                wasm_bindgen_futures::spawn_local(async move {
                    let command = Command::from_wire(req.command);
                    let path = command.map_or_else(|| format!("v4/sns/{}", req.command), |c| c.path());
                    if let Some(limiter) = &settings.limiter {
                        // Fail closed: a limiter that cannot say yes lets nothing through.
                        if let Err(e) = limiter.wait(req.command, settings.call.timeout_ms, None).await {
                            halt.set(Cause::Limiter(req.command), e);
                        }
                    }
                    // The run may have halted while this call waited for the limiter.
                    if halt.is_set() {
                        engine.borrow_mut().withdraw(req.id);
                        wake.notify();
                        return;
                    }
                    let prepared = Prepared { command: req.command.to_owned(), path, known: command, body: req.body };
                    let attempt_no = engine.borrow().progress().calls as u32;
                    // The budget measures round trips from here, not from when the call was
                    // taken: the executor's own delays are no part of the route.
                    inner.budgets.borrow_mut().sent(req.command, req.id, now_ms());
                    engine.borrow_mut().went_out(req.id, now_ms());
                    let answer = once(&inner, &prepared, &settings.call, attempt_no).await;
                    if let (Answer::Api(code, _), Some(limiter)) = (&answer, &settings.limiter) {
                        if rate_limited(*code) {
                            limiter.penalize(req.command);
                        }
                    }
                    engine.borrow_mut().answer(req.id, now_ms(), answer, js_sys::Math::random());
                    let lines = engine.borrow_mut().take_journal();
                    append(&settings, &halt, &lines).await;
                    report_progress(&engine.borrow(), &settings, &inner, started);
                    wake.notify();
                });
            }
            // Nothing to send now: time to turn settled items into the report's JS objects.
            Poll::Wait(at) => {
                hand_over(&engine, &stretches);
                let _ = JsFuture::from(Promise::race(&js_sys::Array::of2(&delay(at - now_ms()), &wake.wait()))).await;
            }
            Poll::Idle => {
                hand_over(&engine, &stretches);
                let _ = JsFuture::from(wake.wait()).await;
            }
            Poll::Done => break,
        }
    }
    let engine = Rc::try_unwrap(engine).map_err(|_| JsValue::from_str("bulk run still in use"))?.into_inner();
    let handed = engine.handed();
    let items = engine.finish_all();
    let totals = Totals::of(&items);
    let report: ReportObject = Object::new().unchecked_into();
    report.set_total(totals.total as f64);
    report.set_ok(totals.ok as f64);
    report.set_pending(totals.pending as f64);
    report.set_already(totals.already as f64);
    report.set_failed(totals.failed as f64);
    report.set_unknown(totals.unknown as f64);
    report.set_reconciled(totals.reconciled as f64);
    report.set_stopped(stopping);
    // The items not handed over during the run, then every stretch joined in one pass.
    let rest = to_items(&Columns::pack(&items[handed..]));
    report.set_items(&if stretches.length() > 0 {
        stretches.push(&rest);
        concat_apply(&Array::new(), &stretches)
    } else {
        rest
    });
    match halt.take() {
        None => Ok(report.into()),
        Some((cause, error)) => Err(bulk_error(&inner, settings.command, cause, error, report.into())),
    }
}

/// Appends journal lines, unless the journal already failed; a failure halts the run.
async fn append(settings: &Settings, halt: &Halt, lines: &[String]) {
    let Some(j) = settings.journal.as_ref().filter(|_| !halt.journal_failed()) else { return };
    if let Err(e) = j.append(lines).await {
        halt.set(Cause::JournalAppend, e);
    }
}

/// Turns the report's next settled stretch, if there is one, into JS objects.
fn hand_over(engine: &RefCell<Engine>, stretches: &Array) {
    let mut engine = engine.borrow_mut();
    let settled = engine.settled(SETTLED_STRETCH);
    if !settled.is_empty() {
        stretches.push(&to_items(&Columns::pack(settled)));
    }
}

/// The report's objects for packed items.
fn to_items(packed: &Columns) -> Array {
    report_items(&packed.numbers, &packed.text)
}

#[wasm_bindgen(module = "/src/wasm/report_items.cjs")]
extern "C" {
    /// Builds `BulkItem` objects from packed items (see `crate::client::bulk::columns`).
    #[wasm_bindgen(js_name = reportItems)]
    fn report_items(numbers: &[u32], text: &str) -> Array;
}

#[wasm_bindgen]
extern "C" {
    /// The `BulkReport` handed back, built member by member in the order of its type.
    type ReportObject;
    #[wasm_bindgen(method, setter)]
    fn set_total(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_ok(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_pending(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_already(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_failed(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_unknown(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_reconciled(this: &ReportObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_stopped(this: &ReportObject, v: bool);
    #[wasm_bindgen(method, setter)]
    fn set_items(this: &ReportObject, items: &Array);
    /// `Array.prototype.concat.apply(first, arrays)`: `first` followed by every array's
    /// elements, in one pass.
    #[wasm_bindgen(js_namespace = ["Array", "prototype", "concat"], js_name = apply)]
    fn concat_apply(first: &Array, arrays: &Array) -> Array;
}

fn report_progress(engine: &Engine, settings: &Settings, inner: &Inner, started: f64) {
    let Some(f) = &settings.on_progress else { return };
    let p = engine.progress();
    let elapsed_s = (now_ms() - started) / 1000.0;
    let obj: ProgressObject = Object::new().unchecked_into();
    obj.set_done(p.done as f64);
    obj.set_total(p.total as f64);
    obj.set_failed(p.failed as f64);
    obj.set_already(p.already as f64);
    obj.set_calls(p.calls as f64);
    obj.set_in_flight(p.in_flight as f64);
    obj.set_window(p.window as f64);
    obj.set_calls_per_second(p.calls_per_second(elapsed_s));
    if let Some(eta) = p.eta_seconds(elapsed_s) {
        obj.set_eta_seconds(eta);
    }
    // A throw or rejection is reported like the client hooks', and never breaks the run.
    inner.call_hook("onProgress", f, &obj, &JsValue::from_str(settings.command));
}

#[wasm_bindgen]
extern "C" {
    /// The `BulkProgress` handed to `onProgress`.
    type ProgressObject;
    #[wasm_bindgen(method, setter)]
    fn set_done(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_total(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_failed(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_already(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_calls(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter = inFlight)]
    fn set_in_flight(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter)]
    fn set_window(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter = callsPerSecond)]
    fn set_calls_per_second(this: &ProgressObject, v: f64);
    #[wasm_bindgen(method, setter = etaSeconds)]
    fn set_eta_seconds(this: &ProgressObject, v: f64);
}

macro_rules! bulk_methods {
    ($($rust:ident = $js:literal, $op:ident, $item:literal;)*) => {
        #[wasm_bindgen]
        impl SnsClient {
            $(
                #[doc = "A bulk helper: splits the input at the documented cap, runs one user's calls one after"]
                #[doc = "another and as many users at once as the rate needs, retries transient failures,"]
                #[doc = "reconciles items whose earlier attempt had an unknown outcome, and resolves to a report"]
                #[doc = "with exactly one outcome per input item."]
                #[wasm_bindgen(js_name = $js, unchecked_return_type = "Promise<BulkReport>")]
                pub fn $rust(
                    &self,
                    #[wasm_bindgen(unchecked_param_type = $item)] input: JsValue,
                    #[wasm_bindgen(unchecked_optional_param_type = "BulkOptions")] options: JsValue,
                ) -> Promise {
                    self.bulk(bulk::$op, input, options)
                }
            )*
        }
    };
}

bulk_methods! {
    import_friends = "importFriends", IMPORT_FRIENDS, "BulkInput<FriendImportItem>";
    add_friends = "addFriends", ADD_FRIENDS, "BulkInput<FriendAddItem>";
    update_friends = "updateFriends", UPDATE_FRIENDS, "BulkInput<FriendUpdateItem>";
    delete_friends = "deleteFriends", DELETE_FRIENDS, "BulkInput<string>";
    check_friends = "checkFriends", CHECK_FRIENDS, "BulkInput<string>";
    block_users = "blockUsers", BLOCK_USERS, "BulkInput<string>";
    unblock_users = "unblockUsers", UNBLOCK_USERS, "BulkInput<string>";
}

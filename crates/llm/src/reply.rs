//! Reading a streamed reply: network chunks → SSE events → tokens, with the stall timeout and
//! cancellation checked at every step.

use reqwest::Response;
use tokio_util::sync::CancellationToken;

use crate::client::{content_type, root_cause};
use crate::sse::SseDecoder;
use crate::wire::{parse_chunk, parse_completion};
use crate::{Completion, LlmConfig, LlmError};

/// The reply so far.
#[derive(Debug, Default)]
struct Accumulated {
    content: String,
    finish_reason: Option<String>,
    model: Option<String>,
    usage: Option<crate::Usage>,
}

pub(crate) async fn read_stream(
    mut response: Response,
    config: &LlmConfig,
    cancel: &CancellationToken,
    mut on_token: impl FnMut(&str),
) -> Result<Completion, LlmError> {
    if content_type(&response) == "application/json" {
        // Some servers ignore `stream: true` and answer with one whole completion.
        return read_whole_instead(response, config, cancel, on_token).await;
    }
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    let mut reply = Accumulated::default();
    loop {
        let read = tokio::select! {
            biased;
            () = cancel.cancelled() => return Err(LlmError::Cancelled),
            read = tokio::time::timeout(config.stall_timeout, response.chunk()) => read,
        };
        let at_end = match read {
            Err(_) => {
                return Err(LlmError::Timeout {
                    waiting_for: "next stream chunk",
                    after: config.stall_timeout,
                });
            }
            Ok(Err(e)) => {
                return Err(LlmError::Interrupted {
                    detail: root_cause(&e),
                });
            }
            Ok(Ok(Some(bytes))) => {
                decoder.push(&bytes, &mut events)?;
                false
            }
            Ok(Ok(None)) => {
                decoder.finish(&mut events)?;
                true
            }
        };
        let mut done = false;
        for data in events.drain(..) {
            if data.trim() == "[DONE]" {
                done = true;
                break;
            }
            let delta = parse_chunk(&data)?;
            if let Some(token) = delta.content.filter(|t| !t.is_empty()) {
                if cancel.is_cancelled() {
                    return Err(LlmError::Cancelled);
                }
                on_token(&token);
                reply.content.push_str(&token);
            }
            reply.finish_reason = delta.finish_reason.or(reply.finish_reason.take());
            reply.model = reply.model.take().or(delta.model);
            reply.usage = delta.usage.or(reply.usage.take());
        }
        if cancel.is_cancelled() {
            return Err(LlmError::Cancelled);
        }
        if done {
            break;
        }
        if at_end {
            if reply.finish_reason.is_none() {
                return Err(LlmError::Interrupted {
                    detail: "the stream ended without a finish reason or [DONE]".to_owned(),
                });
            }
            break;
        }
    }
    tracing::debug!(
        chars = reply.content.len(),
        finish_reason = reply.finish_reason.as_deref(),
        "streamed chat completion received"
    );
    Ok(Completion {
        content: reply.content,
        finish_reason: reply.finish_reason,
        model: reply.model,
        usage: reply.usage,
    })
}

async fn read_whole_instead(
    response: Response,
    config: &LlmConfig,
    cancel: &CancellationToken,
    mut on_token: impl FnMut(&str),
) -> Result<Completion, LlmError> {
    let body = tokio::select! {
        biased;
        () = cancel.cancelled() => return Err(LlmError::Cancelled),
        read = tokio::time::timeout(config.stall_timeout, response.text()) => match read {
            Err(_) => {
                return Err(LlmError::Timeout { waiting_for: "next stream chunk", after: config.stall_timeout });
            }
            Ok(Err(e)) => return Err(LlmError::Interrupted { detail: root_cause(&e) }),
            Ok(Ok(body)) => body,
        },
    };
    let completion = parse_completion(&body)?;
    if !completion.content.is_empty() {
        on_token(&completion.content);
    }
    Ok(completion)
}

// The official automerge-repo JS client (Repo + WebSocketClientAdapter) in a
// Tutti chat room on a real tutti-sync-server. Driven by
// sync-server/tests/server/sync/interop.rs, which checks what it prints.
//
//   node chat.mjs WS_URL ROOM OTHER_ID MY_ID MONTH TEXT
//
// 1. reads OTHER_ID's monthly chat document of ROOM (written by the Rust
//    client) and prints `SEEN <json array of texts>` once it has a message;
// 2. creates its own monthly document (id derived exactly as tutti-sync's
//    chat_document_id), appends TEXT, prints `WROTE <document id>`;
// 3. stays connected until stdin closes, so the change reaches the server.
import { Repo, parseAutomergeUrl, stringifyAutomergeUrl } from "@automerge/automerge-repo"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import * as A from "@automerge/automerge"
import { createHash, randomUUID } from "node:crypto"

const [url, room, otherId, myId, month, text] = process.argv.slice(2)
if (!text) {
  process.stderr.write("usage: node chat.mjs WS_URL ROOM OTHER_ID MY_ID MONTH TEXT\n")
  process.exit(2)
}
const say = (line) => process.stdout.write(line + "\n")

// tutti-sync's chat_document_id: SHA-256 over a domain tag and the 0-prefixed
// parts, first 16 bytes, UUID v8 version/variant bits.
function chatDocId(roomId, ownerId, m) {
  const h = createHash("sha256")
  h.update("tutti/chat-messages/v1")
  for (const p of [roomId, ownerId, m]) {
    h.update(Buffer.from([0]))
    h.update(p)
  }
  const b = new Uint8Array(h.digest().subarray(0, 16))
  b[6] = (b[6] & 0x0f) | 0x80
  b[8] = (b[8] & 0x3f) | 0x80
  return parseAutomergeUrl(stringifyAutomergeUrl({ documentId: b })).documentId
}

const repo = new Repo({ network: [new WebSocketClientAdapter(url)] })

const other = await repo.find(stringifyAutomergeUrl({ documentId: chatDocId(room, otherId, month) }))
const texts = await new Promise((resolve) => {
  const check = () => {
    const doc = other.doc()
    if (doc?.messages?.length) resolve(doc.messages.map((m) => String(m.text)))
  }
  other.on("change", check)
  check()
})
say("SEEN " + JSON.stringify(texts))

const mine = repo.import(A.save(A.from({ roomId: room, ownerId: myId, month, messages: [] })), {
  docId: chatDocId(room, myId, month),
})
mine.change((d) => {
  d.messages.push({ id: randomUUID(), authorId: myId, text, sentAt: Date.now() })
})
say("WROTE " + mine.documentId)

process.stdin.resume()
process.stdin.on("end", () => process.exit(0))

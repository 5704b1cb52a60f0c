// Real automerge-repo Repo over a stdio "socket": one hex CBOR frame per line.
// The adapter mirrors WebSocketClientAdapter (join on connect, peer → peer-candidate).
import { Repo, NetworkAdapter, cbor, parseAutomergeUrl, stringifyAutomergeUrl } from "@automerge/automerge-repo"
import * as A from "@automerge/automerge"
import { createHash } from "node:crypto"
import readline from "node:readline"

const out = (s) => process.stdout.write(s + "\n")
const log = (...a) => process.stderr.write("[js] " + a.join(" ") + "\n")

class StdioAdapter extends NetworkAdapter {
  #ready = false
  #resolve
  #readyPromise = new Promise(r => { this.#resolve = r })
  isReady() { return this.#ready }
  whenReady() { return this.#readyPromise }
  connect(peerId, peerMetadata) {
    this.peerId = peerId
    this.peerMetadata = peerMetadata ?? {}
    const rl = readline.createInterface({ input: process.stdin })
    rl.on("line", line => this.receive(Buffer.from(line, "hex")))
    this.send({ type: "join", senderId: peerId, peerMetadata: this.peerMetadata, supportedProtocolVersions: ["1"] })
  }
  send(message) { out("F " + Buffer.from(cbor.encode(message)).toString("hex")) }
  receive(bytes) {
    const m = cbor.decode(new Uint8Array(bytes))
    if (m.type === "peer") { this.#ready = true; this.#resolve(); this.emit("peer-candidate", { peerId: m.senderId, peerMetadata: m.peerMetadata }) }
    else if (m.type === "error") { log("server error:", m.message) }
    else this.emit("message", m)
  }
  disconnect() {}
}

function chatDocId(room, owner, month) {
  const h = createHash("sha256")
  h.update("tutti/chat-messages/v1"); for (const p of [room, owner, month]) { h.update(Buffer.from([0])); h.update(p) }
  const b = new Uint8Array(h.digest().subarray(0, 16))
  b[6] = (b[6] & 0x0f) | 0x80; b[8] = (b[8] & 0x3f) | 0x80
  return parseAutomergeUrl(stringifyAutomergeUrl({ documentId: b })).documentId
}

const [aliceDocId, room, month] = process.argv.slice(2)
const repo = new Repo({ network: [new StdioAdapter()], peerId: "peer-js-carol" })
const alice = await repo.find(`automerge:${aliceDocId}`)
const doc = alice.doc()
log("alice's messages seen by JS:", JSON.stringify(doc.messages.map(m => [m.authorId, m.text])))
const myId = chatDocId(room, "carol", month)
let mine = A.from({ roomId: room, ownerId: "carol", month, messages: [] })
const handle = repo.import(A.save(mine), { docId: myId })
handle.change(d => { d.messages.push({ id: "js-1", authorId: "carol", text: "hello from JS", sentAt: Date.now() }) })
await new Promise(r => setTimeout(r, 1500))
out("DONE " + myId)
process.exit(0)

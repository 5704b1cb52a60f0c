//! An in-memory driver for the sans-IO server and clients: it performs the
//! sessions' actions against maps (storage, sync states, room membership) and
//! moves frames between clients and the server, counting the bytes.

use std::collections::{BTreeMap, HashMap, VecDeque};

use tutti_sync::{
    Action, ClientEvent, ClientSession, ConnectionId, DocAcl, DocClaim, DocKind, DocumentId,
    Documents, PeerId, PeerMetadata, Principal, RepoMessage, ServerIdentity, Session,
    SessionLimits, StorageId, StoredDocument, SyncStateKey, UserId,
};

/// The server: real sessions and document table, storage in maps.
#[derive(Debug)]
pub struct Server {
    pub identity: ServerIdentity,
    pub docs: Documents,
    pub sessions: BTreeMap<ConnectionId, Session>,
    pub storage: HashMap<DocumentId, StoredDocument>,
    pub sync_states: HashMap<SyncStateKey, Vec<u8>>,
    pub rooms: HashMap<String, Vec<UserId>>,
    pub outbox: BTreeMap<ConnectionId, Vec<Vec<u8>>>,
    pub closed: BTreeMap<ConnectionId, String>,
    /// When set, stores wait in `held_stores` until [`Server::release_stores`].
    pub hold_stores: bool,
    pub held_stores: Vec<(ConnectionId, Action)>,
    next_connection: u64,
}

impl Server {
    pub fn new() -> Self {
        Self {
            identity: ServerIdentity {
                peer_id: PeerId::new("tutti-sync-server").expect("peer id"),
                storage_id: StorageId::random(),
            },
            docs: Documents::new(),
            sessions: BTreeMap::new(),
            storage: HashMap::new(),
            sync_states: HashMap::new(),
            rooms: HashMap::new(),
            outbox: BTreeMap::new(),
            closed: BTreeMap::new(),
            hold_stores: false,
            held_stores: Vec::new(),
            next_connection: 0,
        }
    }

    pub fn connect(&mut self, user: &UserId) -> ConnectionId {
        self.next_connection += 1;
        let id = ConnectionId(self.next_connection);
        let session = Session::new(
            id,
            self.identity.clone(),
            Principal {
                user_id: user.clone(),
            },
            SessionLimits {
                max_message_bytes: 1024 * 1024,
                ..SessionLimits::default()
            },
        );
        self.sessions.insert(id, session);
        id
    }

    pub fn receive(&mut self, connection: ConnectionId, frame: &[u8]) {
        let Some(session) = self.sessions.get_mut(&connection) else {
            return;
        };
        let actions = session.handle_frame(frame, &mut self.docs);
        self.run(connection, actions);
    }

    pub fn disconnect(&mut self, connection: ConnectionId) {
        if let Some(mut session) = self.sessions.remove(&connection) {
            let actions = session.close(&mut self.docs);
            self.run(connection, actions);
        }
        self.outbox.remove(&connection);
    }

    pub fn release_stores(&mut self) {
        self.hold_stores = false;
        let held = std::mem::take(&mut self.held_stores);
        for (connection, action) in held {
            self.run(connection, vec![action]);
        }
    }

    fn notify(
        &mut self,
        document_id: DocumentId,
        connections: Vec<ConnectionId>,
        work: &mut VecDeque<(ConnectionId, Action)>,
    ) {
        for c in connections {
            if let Some(s) = self.sessions.get_mut(&c) {
                for a in s.document_changed(document_id, &mut self.docs) {
                    work.push_back((c, a));
                }
            }
        }
    }

    fn decide(&self, claim: &DocClaim) -> Result<DocAcl, String> {
        let DocKind::ChatMessages { room_id, .. } = &claim.kind else {
            return Err("only chat documents are created here".into());
        };
        let members = self.rooms.get(room_id).ok_or("no such room")?;
        if !members.contains(&claim.owner) {
            return Err(format!("{} is not a member of room {room_id}", claim.owner));
        }
        Ok(DocAcl {
            owner: claim.owner.clone(),
            readers: members
                .iter()
                .filter(|m| **m != claim.owner)
                .cloned()
                .collect(),
            kind: claim.kind.clone(),
        })
    }

    pub fn run(&mut self, connection: ConnectionId, actions: Vec<Action>) {
        let mut work: VecDeque<(ConnectionId, Action)> =
            actions.into_iter().map(|a| (connection, a)).collect();
        while let Some((conn, action)) = work.pop_front() {
            match action {
                Action::Send(frame) => {
                    if self.sessions.contains_key(&conn) {
                        self.outbox.entry(conn).or_default().push(frame);
                    }
                }
                Action::LoadDocument { document_id } => {
                    let stored = self.storage.get(&document_id).cloned();
                    let waiters = self.docs.finish_load(document_id, stored);
                    self.notify(document_id, waiters, &mut work);
                }
                Action::LoadSyncState { key } => {
                    let state = self.sync_states.get(&key).cloned();
                    if let Some(s) = self.sessions.get_mut(&conn) {
                        for a in
                            s.sync_state_loaded(key.document_id, state.as_deref(), &mut self.docs)
                        {
                            work.push_back((conn, a));
                        }
                    }
                }
                a @ (Action::StoreChanges { .. } | Action::CreateDocument { .. })
                    if self.hold_stores =>
                {
                    self.held_stores.push((conn, a));
                }
                Action::StoreChanges {
                    document_id,
                    changes,
                } => {
                    if let Some(stored) = self.storage.get_mut(&document_id) {
                        stored.data.extend_from_slice(&changes);
                    }
                    let waiters = self.docs.store_finished(&document_id);
                    self.notify(document_id, waiters, &mut work);
                }
                Action::CreateDocument {
                    document_id,
                    acl,
                    data,
                } => {
                    self.storage
                        .insert(document_id, StoredDocument { acl, data });
                    let waiters = self.docs.store_finished(&document_id);
                    self.notify(document_id, waiters, &mut work);
                }
                Action::AuthorizeNewDocument { document_id, claim } => {
                    let decision = self.decide(&claim);
                    if let Some(s) = self.sessions.get_mut(&conn) {
                        for a in s.new_document_decided(document_id, decision, &mut self.docs) {
                            work.push_back((conn, a));
                        }
                    }
                }
                Action::PersistSyncState { key, state } => {
                    self.sync_states.insert(key, state);
                }
                Action::Broadcast {
                    document_id,
                    message,
                } => {
                    for other in self.docs.subscribers(&document_id) {
                        if other == conn {
                            continue;
                        }
                        if let Some(s) = self.sessions.get_mut(&other) {
                            for a in s.deliver_ephemeral(&message, &mut self.docs) {
                                work.push_back((other, a));
                            }
                        }
                    }
                }
                Action::Close { reason } => {
                    self.closed.insert(conn, reason);
                }
            }
        }
    }
}

/// A desktop client: its session and its connection on the server.
#[derive(Debug)]
pub struct Client {
    pub user: UserId,
    pub session: ClientSession,
    pub connection: Option<ConnectionId>,
    pub events: Vec<ClientEvent>,
}

/// A server and clients on an in-memory network, counting bytes both ways.
#[derive(Debug)]
pub struct Net {
    pub server: Server,
    pub clients: Vec<Client>,
    pub bytes_to_server: usize,
    pub bytes_to_clients: usize,
    /// Bytes of Automerge sync messages (`data` of `sync`/`request`), per
    /// document, both ways.
    pub sync_payload: HashMap<DocumentId, usize>,
    /// Size of every Automerge sync message, in order, per document.
    pub sync_messages: HashMap<DocumentId, Vec<usize>>,
}

impl Net {
    pub fn new() -> Self {
        Self {
            server: Server::new(),
            clients: Vec::new(),
            bytes_to_server: 0,
            bytes_to_clients: 0,
            sync_payload: HashMap::new(),
            sync_messages: HashMap::new(),
        }
    }

    /// A client of `user`; with a storage id the server keeps its sync state.
    pub fn add_client(&mut self, user: &str, storage: Option<StorageId>) -> usize {
        let session = ClientSession::new(
            PeerId::random(),
            PeerMetadata {
                storage_id: storage,
                is_ephemeral: false,
            },
        );
        self.clients.push(Client {
            user: UserId::new(user),
            session,
            connection: None,
            events: Vec::new(),
        });
        self.clients.len() - 1
    }

    pub fn connect(&mut self, client: usize) {
        let user = self.clients[client].user.clone();
        let connection = self.server.connect(&user);
        self.clients[client].connection = Some(connection);
        let join = self.clients[client].session.connect();
        self.send(client, join);
    }

    pub fn disconnect(&mut self, client: usize) {
        if let Some(connection) = self.clients[client].connection.take() {
            self.server.disconnect(connection);
        }
        self.clients[client].session.disconnected();
    }

    pub fn send(&mut self, client: usize, frame: Vec<u8>) {
        let Some(connection) = self.clients[client].connection else {
            return;
        };
        self.bytes_to_server += frame.len();
        self.count_sync_payload(&frame);
        self.server.receive(connection, &frame);
    }

    /// Announces local changes of a document and moves frames until quiet.
    pub fn sync_document(&mut self, client: usize, document_id: &DocumentId) {
        if let Some(frame) = self.clients[client].session.sync_document(document_id) {
            self.send(client, frame);
        }
        self.pump();
    }

    /// Moves frames both ways until nobody has anything to send.
    pub fn pump(&mut self) {
        for _round in 0..10_000 {
            let mut moved = false;
            for i in 0..self.clients.len() {
                let Some(connection) = self.clients[i].connection else {
                    continue;
                };
                let frames = self.server.outbox.remove(&connection).unwrap_or_default();
                for frame in frames {
                    moved = true;
                    self.bytes_to_clients += frame.len();
                    self.count_sync_payload(&frame);
                    let out = self.clients[i]
                        .session
                        .handle_frame(&frame)
                        .expect("the server sends valid frames");
                    self.clients[i].events.extend(out.events);
                    for reply in out.frames {
                        self.send(i, reply);
                    }
                }
            }
            if !moved {
                return;
            }
        }
        panic!("the network did not go quiet in 10,000 rounds");
    }

    fn count_sync_payload(&mut self, frame: &[u8]) {
        if let Ok(
            RepoMessage::Sync {
                document_id, data, ..
            }
            | RepoMessage::Request {
                document_id, data, ..
            },
        ) = RepoMessage::decode(frame)
        {
            *self.sync_payload.entry(document_id).or_default() += data.len();
            self.sync_messages
                .entry(document_id)
                .or_default()
                .push(data.len());
        }
    }

    /// Connects, pumps, and returns how many bytes moved each way meanwhile.
    pub fn connect_and_measure(&mut self, client: usize) -> (usize, usize) {
        let (up, down) = (self.bytes_to_server, self.bytes_to_clients);
        self.connect(client);
        self.pump();
        (self.bytes_to_server - up, self.bytes_to_clients - down)
    }
}

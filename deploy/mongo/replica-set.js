// Healthcheck of the `mongo` service: initiate the one-node replica set on
// first start, then report healthy only once this node is the writable
// primary, so that the services start against a database that takes writes.
// Run by mongosh; `quit(1)` marks the container unhealthy for this round.
try {
  rs.status();
} catch (error) {
  if (error.codeName !== "NotYetInitialized") {
    throw error;
  }
  rs.initiate({ _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] });
}

if (!db.hello().isWritablePrimary) {
  quit(1);
}

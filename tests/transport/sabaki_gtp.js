'use strict'
// A real GTP front-end library, @sabaki/gtp (the one Sabaki is built on),
// drives the built hoshi binary: a full game over TCP (StreamController on a
// socket) and one over stdin (Controller spawning the process). Each game is
// then replayed move by move over the other transport, which must accept
// every move and reach the same final score.
//
// usage: node sabaki_gtp.js HOSHI_BINARY

const assert = require('assert')
const net = require('net')
const path = require('path')
const {spawn} = require('child_process')

let gtp
try {
  gtp = require('@sabaki/gtp')
} catch (err) {
  console.error('FAIL: @sabaki/gtp is not installed; run `npm ci` at the repository root ' +
                '(scripts/install-deps does)')
  process.exit(1)
}
const {StreamController, Controller} = gtp

const bin = path.resolve(process.argv[2])
let passed = 0
let failed = 0

async function check(what, fn) {
  try {
    await fn()
    passed++
    console.log(`ok: ${what}`)
  } catch (err) {
    failed++
    console.log(`FAIL: ${what}: ${err.stack || err}`)
  }
}

// Starts `hoshi gtp --listen 127.0.0.1:0` and resolves with the port it logs.
function startTcpServer() {
  const proc = spawn(bin, ['gtp', '-model', 'none', '--listen', '127.0.0.1:0'], {stdio: ['ignore', 'ignore', 'pipe']})
  return new Promise((resolve, reject) => {
    let log = ''
    proc.stderr.on('data', chunk => {
      log += chunk
      const m = log.match(/GTP listening on 127\.0\.0\.1:(\d+)/)
      if (m) resolve({proc, port: +m[1], log: () => log})
    })
    proc.on('exit', code => reject(new Error(`hoshi exited (${code}): ${log}`)))
  })
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket))
    socket.on('error', reject)
  })
}

// One command; throws on a GTP error.
async function ok(controller, name, ...args) {
  const r = await controller.sendCommand({name, args: args.map(String)})
  assert(!r.error, `${name} ${args.join(' ')}: ? ${r.content}`)
  return r.content
}

// The engine plays both colours until two passes in a row.
async function selfPlay(controller) {
  await ok(controller, 'boardsize', 9)
  await ok(controller, 'clear_board')
  await ok(controller, 'komi', 6.5)
  const moves = []
  let passes = 0
  for (let i = 0; i < 400 && passes < 2; i++) {
    const color = i % 2 === 0 ? 'B' : 'W'
    const vertex = await ok(controller, 'genmove', color)
    if (vertex.toLowerCase() === 'resign') break
    assert(/^([A-HJ-T]\d{1,2}|pass)$/i.test(vertex), `genmove gave '${vertex}'`)
    passes = vertex.toLowerCase() === 'pass' ? passes + 1 : 0
    moves.push([color, vertex])
  }
  const score = await ok(controller, 'final_score')
  assert(/^(B\+|W\+|0$)/.test(score), `final_score '${score}'`)
  assert(moves.length >= 20, `a game of only ${moves.length} moves`)
  return {moves, score}
}

async function replay(controller, game) {
  await ok(controller, 'boardsize', 9)
  await ok(controller, 'clear_board')
  await ok(controller, 'komi', 6.5)
  for (const [color, vertex] of game.moves) await ok(controller, 'play', color, vertex)
  assert.strictEqual(await ok(controller, 'final_score'), game.score)
}

async function main() {
  const server = await startTcpServer()
  const socket = await connect(server.port)
  const tcp = new StreamController(socket, socket)
  const stdio = new Controller(bin, ['gtp', '-model', 'none'])
  stdio.start()
  let tcpGame = null
  let stdioGame = null

  await check('protocol_version and name over TCP', async () => {
    assert.strictEqual(await ok(tcp, 'protocol_version'), '2')
    assert((await ok(tcp, 'name')).length > 0)
  })
  await check('a full game over TCP', async () => {
    tcpGame = await selfPlay(tcp)
    console.log(`   ${tcpGame.moves.length} moves, ${tcpGame.score}`)
  })
  await check('a second TCP front end is refused with the busy line', async () => {
    const other = await connect(server.port)
    const second = new StreamController(other, other)
    const r = await second.sendCommand({name: 'name'})
    assert(r.error)
    assert.strictEqual(r.content, 'busy: another front end is connected')
    other.destroy()
  })
  await check('a full game over stdin', async () => {
    stdioGame = await selfPlay(stdio)
    console.log(`   ${stdioGame.moves.length} moves, ${stdioGame.score}`)
  })
  await check('the TCP game replayed over stdin', async () => replay(stdio, tcpGame))
  await check('the stdin game replayed over TCP', async () => replay(tcp, stdioGame))
  await check('a front end vanishing mid-genmove, then the next one is served', async () => {
    tcp.sendCommand({name: 'genmove', args: ['B']}).catch(() => {})
    socket.destroy()
    const again = await connect(server.port)
    const next = new StreamController(again, again)
    // The new front end starts on a cleared board: the old game is gone.
    await ok(next, 'boardsize', 9)
    await ok(next, 'play', 'B', tcpGame.moves[0][1] === 'pass' ? 'E5' : tcpGame.moves[0][1])
    await ok(next, 'quit')
    again.destroy()
  })
  await check('stdin: quit ends the process', async () => {
    await stdio.stop()
    assert.strictEqual(stdio.process, null)
  })
  await check('TCP: SIGTERM stops the server cleanly', async () => {
    const code = await new Promise(resolve => {
      server.proc.removeAllListeners('exit')
      server.proc.on('exit', resolve)
      server.proc.kill('SIGTERM')
    })
    assert.strictEqual(code, 0)
  })
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main().catch(err => {
  console.log(`FAIL: ${err.stack || err}`)
  console.log(`${passed} passed, ${failed + 1} failed`)
  process.exit(1)
})

/**
 * The dashboard's single page: inline CSS and JS, no external assets (machines may have no
 * internet). It opens `/events` (SSE), keeps a mirror of the server's state, and redraws the
 * cards that changed at most once per animation frame. Plots are uPlot charts (inlined from
 * node_modules: hover read-out with crosshair, drag to zoom, double-click to reset) with a
 * per-plot log-y toggle. Array metrics are drawn by their declared kind (spectra log-log against
 * rank, series against their index, square matrices as heatmaps).
 */
import { uplotAssets } from '../view/page.ts';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function dashboardPage(graph: string): string {
  const uplot = uplotAssets();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(graph)} — eigenflow</title>
<style>${uplot.css}
:root{--bg:#f5f6f8;--card:#fff;--fg:#1d2330;--mute:#6b7385;--line:#e3e6ec;--accent:#1f77b4;--ok:#2ca02c;--bad:#d62728;--warn:#e08a00}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;align-items:center;gap:14px;padding:12px 20px;background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
header h1{font-size:17px;margin:0;font-weight:600}
header .brand{color:var(--mute);font-size:12px;letter-spacing:.05em;text-transform:uppercase}
#status{padding:3px 10px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;background:var(--accent)}
#status.running{animation:pulse 1.6s ease-in-out infinite}
#status.completed{background:var(--ok)}#status.failed,#status.diverged{background:var(--bad)}#status.cancelled{background:var(--warn)}#status.disconnected{background:#999}
@keyframes pulse{50%{opacity:.55}}
header .meta{margin-left:auto;color:var(--mute);font-size:12px;text-align:right}
main{padding:16px 20px;max-width:1600px;margin:0 auto}
#error{display:none;background:#fdecea;border:1px solid #f5c2bd;color:#8a1c14;padding:10px 14px;border-radius:8px;margin-bottom:14px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
h2{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--mute);margin:18px 0 8px;font-weight:600}
.grid{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.card .top{display:flex;align-items:baseline;gap:8px}
.card .name{font-weight:600;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.card .val{margin-left:auto;font-family:ui-monospace,monospace;font-size:12px;color:var(--mute)}
.card .plot{width:100%;height:200px;margin-top:4px;position:relative}.card .plot .u-legend{display:none}.card .nodata{position:absolute;top:45%;left:60px;color:var(--mute);font-size:12px}
.card .name{flex:1;min-width:0}
.tog{flex-shrink:0;white-space:nowrap;font-size:11px;border:1px solid var(--line);background:#fafbfc;border-radius:5px;padding:1px 6px;cursor:pointer;color:var(--mute)}
.tog.on{background:var(--accent);color:#fff;border-color:var(--accent)}
.prog .bar{height:8px;background:#edf0f4;border-radius:4px;overflow:hidden;margin:8px 0 6px}
.prog .bar div{height:100%;background:var(--accent);width:0;transition:width .2s}
.prog.done .bar div{background:var(--ok)}
.prog .nums{display:flex;gap:14px;font-family:ui-monospace,monospace;font-size:12px;color:var(--mute)}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
td{padding:6px 12px;border-top:1px solid var(--line);font-size:13px}
tr:first-child td{border-top:0}
td.v{font-family:ui-monospace,monospace;text-align:right}
#logs{background:#1d2330;color:#d6dae3;font:12px/1.5 ui-monospace,monospace;border-radius:10px;padding:8px 12px;max-height:180px;overflow:auto;white-space:pre-wrap}
.legend{display:flex;flex-wrap:wrap;gap:2px 12px;font-size:11px;color:var(--mute);margin-top:2px}
.legend:empty{display:none}
.legend i{display:inline-block;width:10px;height:3px;border-radius:2px;margin-right:4px;vertical-align:middle}
.legend b,.card .val b{color:var(--fg);font-weight:600;font-family:ui-monospace,monospace}
#filter{margin-left:10px;font:12px system-ui,sans-serif;text-transform:none;letter-spacing:0;padding:2px 8px;border:1px solid var(--line);border-radius:6px;width:180px;vertical-align:middle}
.empty{color:var(--mute);font-style:italic;padding:6px 0}
.hidden{display:none}
</style></head>
<body>
<header><div><div class="brand">eigenflow</div><h1 id="graph">${esc(graph)}</h1></div><span id="status" class="running">connecting</span>
<div class="meta"><div id="elapsed"></div><div id="events"></div></div></header>
<main>
<div id="error"></div>
<section id="sec-progress"><h2>Progress</h2><div id="progress" class="grid"><div class="empty">waiting for a generator…</div></div></section>
<section id="sec-declared" class="hidden"><h2>Plots</h2><div id="declared" class="grid"></div></section>
<section id="sec-series"><h2>All metrics <input id="filter" placeholder="filter…" autocomplete="off"></h2><div id="series" class="grid"><div class="empty">no stepped metrics yet</div></div></section>
<section id="sec-spectra" class="hidden"><h2>Arrays (latest value)</h2><div id="spectra" class="grid"></div></section>
<section id="sec-scalars" class="hidden"><h2>One-off metrics</h2><table id="scalars"></table></section>
<section id="sec-logs" class="hidden"><h2>Log</h2><div id="logs"></div></section>
</main>
<script>${uplot.js}</script>
<script>
"use strict";
const COLORS=['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b'];
const S={skew:0,plots:[],graph:'',status:'running',error:null,start:Date.now(),end:null,events:0,logY:{},series:{},spectra:{},scalars:{},progress:{},logs:[],outDir:null};
const cards=new Map(); const dirty=new Set(); let scheduled=false;
const $=(id)=>document.getElementById(id);
const num=(v)=>typeof v==='string'?Number(v):v;
function fmt(v){v=num(v);if(!Number.isFinite(v))return String(v);if(v===0)return '0';const a=Math.abs(v);
  return a>=1e4||a<1e-3?v.toExponential(3):String(Number(v.toPrecision(5)));}
function fmtT(s){return s>=3600?Math.floor(s/3600)+'h'+Math.round(s%3600/60)+'m':s>=60?Math.floor(s/60)+'m'+Math.round(s%60)+'s':s.toFixed(s<10?1:0)+'s';}
function el(tag,cls,html){const e=document.createElement(tag);if(cls)e.className=cls;if(html!==undefined)e.innerHTML=html;return e;}
const escH=(s)=>String(s).replace(/[&<>"]/g,(c)=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
function mark(k){dirty.add(k);if(!scheduled){scheduled=true;requestAnimationFrame(render);}}

/**
 * Draw series [{xs, ys, color, hline}] into a card with uPlot; log axes turn non-positive values into
 * gaps. The chart is rebuilt when its shape (series, log axes, width) changes, else given new data
 * (keeping the user's zoom until a double-click resets it).
 */
function draw(c,series,logX,logY){
  const box=c.plot;const W=box.clientWidth,H=box.clientHeight;
  if(!W||!H)return; // hidden: drawn when shown (render() shows sections before drawing)
  const keep=(v,log)=>{v=num(v);return Number.isFinite(v)&&(!log||v>0)?v:null;};
  const xsAll=new Set();for(const s of series)if(s.xs)for(const x of s.xs){const v=keep(x,logX);if(v!==null)xsAll.add(v);}
  const xs=[...xsAll].sort((a,b)=>a-b);const at=new Map(xs.map((x,i)=>[x,i]));
  const cols=series.map((s)=>{const ys=new Array(xs.length).fill(null);
    if(s.hline!==undefined){const h=keep(s.hline,logY);if(h!==null)ys.fill(h);return ys;}
    for(let i=0;i<s.xs.length;i++){const x=keep(s.xs[i],logX);if(x===null)continue;ys[at.get(x)]=keep(s.ys[i],logY);}return ys;});
  const any=cols.some((ys)=>ys.some((v)=>v!==null));
  c.nodata.textContent=any?'':series.some((s)=>(s.xs&&s.xs.length)||s.hline!==undefined)?(logY?'no finite positive values for a log axis':'no finite values'):'no data yet';
  const shape=[series.length,logX,logY,W,H,series.map((s)=>s.color+(s.hline!==undefined)).join()].join('|');
  const data=[xs,...cols];
  c.card.dataset.logx=logX?'1':'0';c.card.dataset.logy=logY?'1':'0';c.card.dataset.points=String(cols.reduce((n,ys)=>n+ys.filter((v)=>v!==null).length,0));
  if(c.u&&c.shape===shape){c.u.setData(data,!c.zoomed);return;}
  if(c.u)c.u.destroy();
  c.shape=shape;c.zoomed=false;
  const fmtv=(u,v)=>v===null||v===undefined?'–':fmt(v);
  c.u=new uPlot({width:W,height:H,legend:{show:false},cursor:{drag:{x:true,y:false}},
    scales:{x:{time:false,distr:logX?3:1},y:{distr:logY?3:1}},
    axes:[{size:30,font:'11px system-ui,sans-serif'},{size:56,font:'11px system-ui,sans-serif'}],
    series:[{},...series.map((s)=>({stroke:s.color,width:1.6,spanGaps:true,dash:s.hline!==undefined?[5,4]:undefined,value:fmtv,points:{show:xs.length<40,size:4}}))],
    hooks:{setSelect:[()=>{c.zoomed=true;}],setCursor:[(u)=>{const i=u.cursor.idx;c.readout.textContent=i===null||i===undefined?'':'x='+fmt(xs[i])+'  '+cols.map((ys)=>fmt(ys[i]===null?NaN:ys[i])).join('  ');}]}},data,box);
  c.u.over.addEventListener('dblclick',()=>{c.zoomed=false;});
}

function plotCard(container,key,title,logDefault,order){
  let c=cards.get(key);if(c)return c;
  const empty=container.querySelector('.empty');if(empty)empty.remove();
  const card=el('div','card');card.style.order=String(order);const top=el('div','top');const name=el('div','name');name.textContent=title;name.title=title;
  const val=el('span','val');const tog=el('button','tog','log y');const legend=el('div','legend');const plot=el('div','plot');const nodata=el('div','nodata');const readout=el('div','legend');
  plot.append(nodata);top.append(name,val,tog);card.append(top,legend,plot,readout);container.append(card);
  c={card,val,tog,plot,nodata,readout,legend,name:title,log:logDefault,auto:logDefault===undefined||logDefault===null,u:null,shape:'',zoomed:false};
  tog.onclick=()=>{c.log=!c.log;c.auto=false;mark(key);};
  cards.set(key,c);return c;
}
/** Points of a series, with its latest value appended if thinning dropped it. */
function pointsOf(s){const xs=s.steps.slice(),ys=s.values.slice();
  if(s.last&&(!xs.length||xs[xs.length-1]!==s.last[0])){xs.push(s.last[0]);ys.push(s.last[1]);}return {xs,ys};}
function autoLog(c,ysList){if(!c.auto)return;let mn=Infinity,mx=-Infinity,pos=true;
  for(const ys of ysList)for(const v of ys){const y=num(v);if(!Number.isFinite(y))continue;if(y<=0)pos=false;if(y<mn)mn=y;if(y>mx)mx=y;}
  c.log=pos&&mx/mn>=100;}
const order=[];
function renderSeries(ref){
  const s=S.series[ref];if(!order.includes(ref))order.push(ref);const idx=order.indexOf(ref);
  const c=plotCard($('series'),'s:'+ref,ref,S.logY[ref],idx);c.card.classList.toggle('hidden',!matches(ref));
  const {xs,ys}=pointsOf(s);autoLog(c,[ys]);
  c.tog.classList.toggle('on',c.log);
  c.val.innerHTML=s.last?'<b>'+fmt(s.last[1])+'</b> @ '+s.last[0]:'';
  draw(c,[{xs,ys,color:COLORS[idx%COLORS.length]}],false,c.log);
}
function renderDeclared(i){
  const p=S.plots[i];const c=plotCard($('declared'),'d:'+i,p.title,p.logY,i);
  const series=[];
  p.y.forEach((ref,j)=>{const color=COLORS[j%COLORS.length];const s=S.series[ref];
    if(s)series.push(Object.assign(pointsOf(s),{color,ref}));else if(ref in S.scalars)series.push({hline:S.scalars[ref],color,ref});});
  autoLog(c,series.map((s)=>s.ys||[s.hline]));c.tog.classList.toggle('on',c.log);
  c.legend.innerHTML=series.length>1||p.title!==p.y[0]?series.map((s)=>{const v=s.hline!==undefined?s.hline:S.series[s.ref].last[1];
    return '<span><i style="background:'+s.color+'"></i>'+escH(s.ref)+' <b>'+fmt(v)+'</b></span>';}).join(''):'';
  if(series.length===1&&series[0].ys){const l=S.series[series[0].ref].last;c.val.innerHTML='<b>'+fmt(l[1])+'</b> @ '+l[0];}
  draw(c,series,false,c.log);
}
function matches(ref){const f=$('filter').value.trim().toLowerCase();return !f||ref.toLowerCase().includes(f);}
/**
 * An array metric's latest value, drawn by its declared kind: a spectrum (array) log-log against
 * rank 1…n; an indexed sequence (series: a kernel, per-feature values) against its index from 0 on
 * a linear x axis, so K₀ and signs stay visible; a square matrix as a heatmap.
 */
function renderSpectrum(ref){
  $('sec-spectra').classList.remove('hidden');
  const sp=S.spectra[ref];const kind=sp.kind||'array';const spectrum=kind==='array';
  const c=plotCard($('spectra'),'p:'+ref,ref,spectrum?true:undefined,0);c.card.dataset.kind=kind;c.card.dataset.metric=ref;
  const ys=sp.values;const at=sp.step!==null?' @ '+sp.step:'';
  if(kind==='matrix'&&heatmap(c,ys)){c.val.innerHTML='<b>'+Math.round(Math.sqrt(ys.length))+'²</b> matrix'+at;return;}
  if(!spectrum)autoLog(c,[ys]);c.tog.classList.toggle('on',c.log);
  const xs=ys.map((_,i)=>spectrum?i+1:i);
  c.val.innerHTML='<b>'+ys.length+'</b> values'+at;
  draw(c,[{xs,ys,color:spectrum?'#9467bd':'#2ca02c'}],spectrum,c.log);
}
/** A square row-major matrix as a heatmap (blue low, white middle, red high of its range); false if not square. */
function heatmap(c,vals){const n=Math.round(Math.sqrt(vals.length));if(!n||n*n!==vals.length)return false;
  const fin=vals.map(num).filter(Number.isFinite);if(!fin.length)return false;let lo=Math.min(...fin),hi=Math.max(...fin);if(hi===lo)hi=lo+1;
  if(c.u){c.u.destroy();c.u=null;c.shape='';}c.tog.style.display='none';
  let cv=c.plot.querySelector('canvas.heat');if(!cv){cv=el('canvas','heat');cv.style.cssText='height:100%;aspect-ratio:1;image-rendering:pixelated';c.plot.append(cv);}
  cv.width=n;cv.height=n;const g=cv.getContext('2d');const img=g.createImageData(n,n);
  vals.forEach((v,i)=>{v=num(v);const o=4*i;if(!Number.isFinite(v))return;const t=(v-lo)/(hi-lo),a=Math.abs(2*t-1),w=Math.round(255*(1-a));
    img.data[o]=t>0.5?255:w;img.data[o+1]=w;img.data[o+2]=t<0.5?255:w;img.data[o+3]=255;});
  g.putImageData(img,0,0);c.readout.textContent='row i, column j; blue '+fmt(lo)+' … red '+fmt(hi);return true;}
function renderProgress(){
  const box=$('progress');const keys=Object.keys(S.progress);if(!keys.length)return;
  const empty=box.querySelector('.empty');if(empty)empty.remove();
  for(const node of keys){const p=S.progress[node];let c=cards.get('g:'+node);
    if(!c){const card=el('div','card prog');card.innerHTML='<div class="top"><div class="name"></div><span class="val"></span></div><div class="bar"><div></div></div><div class="nums"></div>';
      card.querySelector('.name').textContent=node;box.append(card);c={card};cards.set('g:'+node,c);}
    const frac=p.total?p.step/p.total:null;const done=frac!==null&&p.step>=p.total;
    c.card.classList.toggle('done',done||S.status!=='running');
    c.card.querySelector('.bar div').style.width=(frac===null?100:100*frac).toFixed(1)+'%';
    c.card.querySelector('.val').textContent=frac===null?'':(100*frac).toFixed(frac<0.1?1:0)+'%';
    const rate=S.status==='running'&&!done?p.rate:(p.elapsed>0?p.step/p.elapsed:0);
    const eta=S.status==='running'&&frac!==null&&!done&&rate>0?'ETA '+fmtT((p.total-p.step)/rate):'';
    c.card.querySelector('.nums').innerHTML='<span>'+p.step+(p.total?' / '+p.total:'')+' steps</span><span>'+(rate>0?(rate>=100?rate.toFixed(0):rate.toPrecision(3))+' steps/s':'')+'</span><span>'+eta+'</span><span>'+fmtT(p.elapsed)+'</span>';}
}
function renderScalars(){
  const keys=Object.keys(S.scalars).sort();if(!keys.length)return;$('sec-scalars').classList.remove('hidden');
  $('scalars').innerHTML=keys.map((k)=>'<tr><td>'+escH(k)+'</td><td class="v">'+fmt(S.scalars[k])+'</td></tr>').join('');
}
function renderLogs(){
  if(!S.logs.length)return;$('sec-logs').classList.remove('hidden');const box=$('logs');
  const atEnd=box.scrollTop+box.clientHeight>=box.scrollHeight-4;
  box.textContent=S.logs.map((l)=>new Date(l.time).toLocaleTimeString()+'  ['+l.node+'] '+l.message).join('\\n');
  if(atEnd)box.scrollTop=box.scrollHeight;
}
function renderHeader(){
  const st=$('status');st.className=S.status;st.textContent=S.status;
  const end=S.end??Date.now()+S.skew;$('elapsed').textContent=(S.status==='running'?'running for ':'ran for ')+fmtT((end-S.start)/1000);
  $('events').textContent=S.events.toLocaleString()+' events'+(S.outDir?' → '+S.outDir:'');
  const er=$('error');if(S.error){er.style.display='block';er.textContent=S.status+': '+S.error;}else er.style.display='none';
  document.title=(S.status==='running'?'● ':S.status==='completed'?'✓ ':'✗ ')+S.graph+' — eigenflow';
}
function render(){
  scheduled=false;
  // Show the section before drawing into it: a canvas drawn while hidden measures 0×0 and stays blank.
  $('sec-declared').classList.toggle('hidden',!S.plots.length);
  for(const k of dirty){if(k.startsWith('s:'))renderSeries(k.slice(2));else if(k.startsWith('p:'))renderSpectrum(k.slice(2));}
  S.plots.forEach((p,i)=>{if(p.y.some((r)=>dirty.has('s:'+r))||dirty.has('scalars'))renderDeclared(i);});
  if(dirty.has('progress'))renderProgress();if(dirty.has('scalars'))renderScalars();if(dirty.has('logs'))renderLogs();
  renderHeader();dirty.clear();
}
function applyState(st){
  Object.assign(S,st);S.skew=st.now-Date.now();$('graph').textContent=st.graph;
  Object.keys(S.series).forEach((k)=>mark('s:'+k));Object.keys(S.spectra).forEach((k)=>mark('p:'+k));
  mark('progress');mark('scalars');mark('logs');
}
function applyDelta(d){
  S.events=d.events;S.skew=d.now-Date.now();
  for(const [k,v] of Object.entries(d.series||{})){const s=S.series[k];
    if(!s||v.reset)S.series[k]={steps:v.steps,values:v.values,last:v.last};
    else{for(let i=0;i<v.steps.length;i++){s.steps.push(v.steps[i]);s.values.push(v.values[i]);}s.last=v.last;}
    mark('s:'+k);}
  for(const [k,v] of Object.entries(d.spectra||{})){S.spectra[k]=v;mark('p:'+k);}
  if(d.scalars){Object.assign(S.scalars,d.scalars);mark('scalars');}
  if(d.progress){Object.assign(S.progress,d.progress);mark('progress');}
  if(d.logs){S.logs.push(...d.logs);if(S.logs.length>200)S.logs.splice(0,S.logs.length-200);mark('logs');}
  mark('header');
}
let finished=false;
const es=new EventSource('events');
es.addEventListener('state',(m)=>{applyState(JSON.parse(m.data));if(S.status!=='running'){finished=true;es.close();}});
es.addEventListener('delta',(m)=>applyDelta(JSON.parse(m.data)));
es.onerror=()=>{if(!finished){$('status').className='disconnected';$('status').textContent='reconnecting…';}};
setInterval(()=>{if(S.status==='running')renderHeader();},1000);
$('filter').addEventListener('input',()=>Object.keys(S.series).forEach((k)=>mark('s:'+k)));
window.addEventListener('resize',()=>{Object.keys(S.series).forEach((k)=>mark('s:'+k));Object.keys(S.spectra).forEach((k)=>mark('p:'+k));});
</script>
</body></html>
`;
}

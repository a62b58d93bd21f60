/**
 * The `eigenflow view` page: one self-contained HTML document (uPlot's script and CSS inlined
 * from node_modules, no network) that fetches `/data` and draws one chart per metric with every
 * run overlaid. uPlot gives the hover read-out (legend values), crosshair and drag-to-zoom
 * (double-click resets); the page adds EMA smoothing, x by step or wall-clock time, log toggles
 * per axis, CSV and PNG export per chart, array metrics against index, and for sweeps a summary
 * table sortable by any column whose rows open their run.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** uPlot's minified script and stylesheet from node_modules, for inlining into a page. */
export function uplotAssets(): { js: string; css: string } {
  const dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
  return { js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
}

const SCRIPT = String.raw`
const COLORS=['#1f77b4','#d62728','#2ca02c','#ff7f0e','#9467bd','#8c564b','#e377c2','#17becf','#7f7f7f','#bcbd22'];
const $=(s)=>document.querySelector(s);
const el=(tag,attrs,...kids)=>{const e=document.createElement(tag);for(const k in attrs||{}){if(k==='on')for(const ev in attrs.on)e.addEventListener(ev,attrs.on[ev]);else e.setAttribute(k,attrs[k]);}for(const c of kids)e.append(c);return e;};
let DATA=null;const charts=[];const state={smooth:0,x:'step',only:null};
function ema(vs,a){if(!a)return vs;let m=null,out=[];for(const v of vs){if(v===null||!Number.isFinite(v)){out.push(v);continue;}m=m===null?v:a*m+(1-a)*v;out.push(m);}return out;}
/** Merge runs' (x, y) lists onto one sorted x array (uPlot's aligned data), nulls where a run has no point. */
function align(lists){const xs=[...new Set(lists.flatMap((l)=>l.x))].filter(Number.isFinite).sort((a,b)=>a-b);const idx=new Map(xs.map((x,i)=>[x,i]));
  return [xs,...lists.map((l)=>{const ys=new Array(xs.length).fill(null);l.x.forEach((x,i)=>{const j=idx.get(x);if(j!==undefined)ys[j]=l.y[i];});return ys;})];}
function safeLog(ys){return ys.map((v)=>v!==null&&v>0?v:null);}
function chartBox(title){const box=el('div',{class:'chart'});const head=el('div',{class:'head'},el('b',{},title));box.append(head);$('#charts').append(box);return {box,head};}
function makeChart(title,runs,getXY,xLabel,logDefault){
  const {box,head}=chartBox(title);
  const st={logX:false,logY:!!logDefault};
  const tog=(name,key)=>{const c=el('input',{type:'checkbox'});c.checked=st[key];c.addEventListener('change',()=>{st[key]=c.checked;draw();});return el('label',{},c,' '+name);};
  const csv=el('button',{on:{click:()=>download(title+'.csv',toCsv())}},'CSV');
  const png=el('button',{on:{click:()=>{const cv=box.querySelector('canvas');const a=el('a',{href:cv.toDataURL('image/png'),download:title.replace(/[^A-Za-z0-9._-]+/g,'_')+'.png'});a.click();}}},'PNG');
  head.append(tog('log x','logX'),tog('log y','logY'),csv,png);
  const holder=el('div',{class:'plot'});box.append(holder);
  let u=null,data=null;
  function toCsv(){const rows=[['x',...runs.map((r)=>r.label)].join(',')];for(let i=0;i<data[0].length;i++)rows.push(data.map((c)=>c[i]===null?'':c[i]).join(','));return rows.join('\n')+'\n';}
  function draw(){
    const lists=runs.map((r)=>getXY(r));data=align(lists);
    if(st.logY)data=[data[0],...data.slice(1).map(safeLog)];
    if(st.logX){const keep=data[0].map((x)=>x>0);data=data.map((c)=>c.filter((_,i)=>keep[i]));}
    const width=Math.max(300,holder.clientWidth||box.clientWidth||600);
    const opts={width,height:280,scales:{x:{time:xLabel==='time',distr:st.logX?3:1},y:{distr:st.logY?3:1}},
      axes:[{label:xLabel},{size:70}],legend:{live:true},cursor:{drag:{x:true,y:true,uni:20}},
      series:[{label:xLabel},...runs.map((r,i)=>({label:r.label,stroke:COLORS[i%COLORS.length],width:1.5,spanGaps:true,points:{show:data[0].length<60}}))]};
    if(u)u.destroy();u=new uPlot(opts,data,holder);charts.push(u);
  }
  draw();
  return {redraw:draw,box};
}
function download(name,text){const a=el('a',{href:URL.createObjectURL(new Blob([text],{type:'text/csv'})),download:name.replace(/[^A-Za-z0-9._-]+/g,'_')});a.click();}
function render(){
  charts.length=0;$('#charts').innerHTML='';
  const runs=DATA.runs.filter((r)=>!state.only||r.dir===state.only);
  $('#showing').textContent=state.only?'showing one run — ':'';
  $('#all').style.display=state.only?'':'none';
  const refs=[...new Set(runs.flatMap((r)=>Object.keys(r.series)))].sort();
  const a=Number(state.smooth);
  for(const ref of refs){const rs=runs.filter((r)=>r.series[ref]);
    makeChart(ref,rs,(r)=>{const s=r.series[ref];const x=state.x==='time'?s.times.map((t)=>t/1000):s.steps;return {x,y:ema(s.values,a)};},state.x==='time'?'time':'step',rs.every((r)=>r.series[ref].values.every((v)=>v===null||v>0)));}
  const arrays=[...new Set(runs.flatMap((r)=>Object.keys(r.arrays)))].sort();
  for(const ref of arrays){const rs=runs.filter((r)=>r.arrays[ref]);makeChart(ref+' (last value, by index)',rs,(r)=>({x:r.arrays[ref].map((_,i)=>i),y:r.arrays[ref]}),'index',false);}
  const sc=$('#scalars');sc.innerHTML='';const sref=[...new Set(runs.flatMap((r)=>Object.keys(r.scalars)))].sort();
  if(sref.length){const t=el('table',{},el('tr',{},el('th',{},'run'),...sref.map((k)=>el('th',{},k))));for(const r of runs)t.append(el('tr',{},el('td',{},r.label),...sref.map((k)=>el('td',{},r.scalars[k]===undefined?'':String(r.scalars[k])))));sc.append(el('h3',{},'one-off values'),t);}
}
function sweepTable(s){
  const names=Object.keys(s.grid);const refs=[...new Set(s.rows.flatMap((r)=>Object.keys(r.metrics)))].sort();
  const cols=[...names.map((n)=>({h:n,get:(r)=>r.point[n]})),{h:'status',get:(r)=>r.status},...refs.map((k)=>({h:k,get:(r)=>r.metrics[k]}))];
  let sortBy=-1,dir=1;const t=el('table',{class:'sweep'});
  const fill=()=>{t.innerHTML='';t.append(el('tr',{},...cols.map((c,i)=>el('th',{on:{click:()=>{dir=sortBy===i?-dir:1;sortBy=i;fill();}}},c.h+(sortBy===i?(dir>0?' ▲':' ▼'):'')))));
    const rows=[...s.rows];if(sortBy>=0)rows.sort((a,b)=>{const x=cols[sortBy].get(a),y=cols[sortBy].get(b);return (x===y?0:x===undefined||x===null?1:y===undefined||y===null?-1:x<y?-1:1)*dir;});
    for(const r of rows){const tr=el('tr',{class:r.run?'link':''},...cols.map((c)=>{const v=c.get(r);return el('td',{},v===undefined||v===null?'':typeof v==='number'?String(Number(v.toPrecision(6))):String(v));}));
      if(r.run)tr.addEventListener('click',()=>{state.only=r.run;render();scrollTo(0,$('#charts').offsetTop);});t.append(tr);}};
  fill();
  const box=el('section',{class:'sweepbox'},el('h2',{},'sweep '+s.name),el('p',{class:'hint'},'click a column to sort, a row to open its run'),t);
  // Final values against the first numeric grid parameter: one line per combination of the other
  // parameters (seeds pooled), the mean with a band from the lowest to the highest value at each x.
  // Click a point to open that point's (first) run.
  const x=names.find((n)=>s.rows.every((r)=>typeof r.point[n]==='number'));
  const others=names.filter((n)=>n!==x&&n!=='seed');
  if(x)for(const ref of refs){const rows=s.rows.filter((r)=>typeof r.metrics[ref]==='number');if(rows.length<2)continue;
    const xs=[...new Set(rows.map((r)=>r.point[x]))].sort((a,b)=>a-b);
    const groups=new Map();for(const r of rows){const k=others.map((n)=>n+'='+JSON.stringify(r.point[n])).join(', ');if(!groups.has(k))groups.set(k,[]);groups.get(k).push(r);}
    const data=[xs];const series=[{label:x}];const bands=[];const firstRun=[];
    [...groups].forEach(([k,rs],gi)=>{const mean=[],lo=[],hi=[],run=[];
      for(const xv of xs){const vs=rs.filter((r)=>r.point[x]===xv);const v=vs.map((r)=>r.metrics[ref]);
        mean.push(v.length?v.reduce((a,b)=>a+b,0)/v.length:null);lo.push(v.length?Math.min(...v):null);hi.push(v.length?Math.max(...v):null);run.push(vs.find((r)=>r.run)?.run??null);}
      const color=COLORS[gi%COLORS.length];const m=data.length;
      data.push(mean);series.push({label:(k||ref)+(rs.length>xs.length?' (mean, band: min–max over seeds)':''),stroke:color,width:1.5,points:{show:true,size:7}});firstRun.push(run);
      if(rs.length>xs.length){data.push(lo,hi);series.push({label:'min',stroke:'transparent',show:true},{label:'max',stroke:'transparent',show:true});bands.push({series:[m+2,m+1],fill:color+'33'});}});
    const holder=el('div',{class:'plot'});box.append(el('div',{class:'chart'},el('div',{class:'head'},el('b',{},ref+' against '+x)),holder));
    const u=new uPlot({width:Math.max(300,(box.clientWidth||700)-20),height:260,scales:{x:{time:false}},axes:[{label:x},{size:70}],series,bands},data,holder);charts.push(u);
    u.over.addEventListener('click',()=>{const i=u.cursor.idx;if(i===null||i===undefined)return;const run=firstRun.map((r)=>r[i]).find((r)=>r);if(run){state.only=run;render();}});}
  $('#sweeps').append(box);
}
async function main(){
  DATA=await (await fetch('data')).json();
  document.title='eigenflow view — '+DATA.title;$('#title').textContent=DATA.title;
  $('#smooth').addEventListener('input',(e)=>{state.smooth=e.target.value;$('#sv').textContent=Number(e.target.value).toFixed(2);render();});
  $('#xaxis').addEventListener('change',(e)=>{state.x=e.target.value;render();});
  $('#all').addEventListener('click',()=>{state.only=null;render();});
  for(const s of DATA.sweeps)sweepTable(s);
  render();
  document.body.dataset.ready='1';
}
main().catch((e)=>{document.body.append(el('pre',{},String(e&&e.stack||e)));document.body.dataset.ready='error';});
`;

export function viewPage(): string {
  const { js, css } = uplotAssets();
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>eigenflow view</title>
<style>${css}
body{font:14px system-ui,sans-serif;margin:0;background:#f6f7f9;color:#222}
header{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #ddd;padding:10px 18px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
main{padding:12px 18px;display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:14px}
#charts{display:contents}
.chart{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px}
.head{display:flex;gap:10px;align-items:center;margin-bottom:4px;flex-wrap:wrap}.head b{flex:1}
.sweepbox{grid-column:1/-1;background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:right}th{cursor:pointer;background:#f0f0f0}
tr.link{cursor:pointer}tr.link:hover{background:#eef5ff}.hint{color:#666;margin:2px 0 8px}
#scalars{grid-column:1/-1}
</style></head><body>
<header><b id="title">eigenflow view</b>
<label>smoothing (EMA) <input id="smooth" type="range" min="0" max="0.99" step="0.01" value="0"> <span id="sv">0.00</span></label>
<label>x <select id="xaxis"><option value="step">step</option><option value="time">wall-clock time</option></select></label>
<span id="showing"></span><button id="all" style="display:none">show all runs</button>
<span class="hint">drag to zoom, double-click to reset</span></header>
<main><div id="sweeps" style="display:contents"></div><div id="charts"></div><div id="scalars"></div></main>
<script>${js}</script>
<script>${SCRIPT}</script>
</body></html>`;
}

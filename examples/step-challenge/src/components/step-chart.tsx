import { View } from '@tarojs/components';
import type { StepDay } from '../services/backend';

/** "My last 31 days": one bar per day, oldest on the left, today highlighted. */
export function StepChart({ days }: { days: StepDay[] }) {
  const max = Math.max(1, ...days.map((d) => d.step));
  const total = days.reduce((sum, d) => sum + d.step, 0);
  const today = days[days.length - 1];
  return (
    <View className='step-chart'>
      <View className='chart'>
        {days.map((d, i) => (
          <View
            key={d.date}
            className={`bar${i === days.length - 1 ? ' today' : ''}`}
            data-date={d.date}
            data-steps={d.step}
            style={{ height: `${Math.round((d.step / max) * 100)}%` }}
          />
        ))}
      </View>
      <View className='chart-axis muted'>
        <View>{days[0]?.date.slice(5)}</View>
        <View>{today?.date.slice(5)}</View>
      </View>
      <View className='stats'>
        <View>
          今天 <View className='today-steps' style={{ display: 'inline' }}>{today?.step ?? 0}</View> 步
        </View>
        <View>日均 {days.length ? Math.round(total / days.length) : 0} 步</View>
        <View>最高 {max} 步</View>
      </View>
    </View>
  );
}
